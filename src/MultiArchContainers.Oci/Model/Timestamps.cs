using System.Text.RegularExpressions;

namespace MultiArchContainers.Oci.Model;

/// <summary>The one home of timestamps: the <c>SOURCE_DATE_EPOCH</c> setting and the RFC 3339 form images carry.</summary>
internal static partial class Timestamps
{
    /// <summary>
    /// <c>SOURCE_DATE_EPOCH</c> as a time: null when it is empty, MAC2018 when it is not a whole number of seconds.
    /// Every path reads it here, so a bad value is reported the same way everywhere.
    /// </summary>
    public static DateTimeOffset? ParseSourceDateEpoch(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new MultiArchException(MessageIds.SourceDateEpochInvalid, value);
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>An RFC 3339 UTC timestamp with second precision, the form generated values use.</summary>
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static bool IsRfc3339(string value) =>
        Rfc3339().IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
