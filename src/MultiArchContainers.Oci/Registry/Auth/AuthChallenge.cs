namespace MultiArchContainers.Oci.Registry.Auth;

/// <summary>The parameters of a <c>WWW-Authenticate</c> challenge.</summary>
internal static class AuthChallenge
{
    /// <summary>Parses <c>key="value", key=value</c> pairs; a quoted value may hold ',' and escaped quotes.</summary>
    public static Dictionary<string, string> Parse(string parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && (parameters[i] == ',' || char.IsWhiteSpace(parameters[i])))
            {
                i++;
            }

            int equals = parameters.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            string key = parameters[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < parameters.Length && parameters[i] == '"')
            {
                i++;
                while (i < parameters.Length && parameters[i] != '"')
                {
                    if (parameters[i] == '\\' && i + 1 < parameters.Length)
                    {
                        i++;
                    }

                    value.Append(parameters[i++]);
                }

                i++;
            }
            else
            {
                while (i < parameters.Length && parameters[i] != ',')
                {
                    value.Append(parameters[i++]);
                }
            }

            result[key] = value.ToString().Trim();
        }

        return result;
    }
}
