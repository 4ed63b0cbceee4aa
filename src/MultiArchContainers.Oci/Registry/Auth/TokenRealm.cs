using System.Net.Sockets;

namespace MultiArchContainers.Oci.Registry.Auth;

/// <summary>
/// The rules a token service must meet before a request, with or without credentials, goes to it. The addresses are
/// judged by parsing them; nothing is sent to find out.
/// </summary>
internal static class TokenRealm
{
    /// <summary>The realm as a URL, or null with <paramref name="problem"/> saying which rule it breaks.</summary>
    public static Uri? Check(string? realm, bool registryIsPlainHttp, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(realm) || !Uri.TryCreate(realm, UriKind.Absolute, out Uri? uri) || uri.IsFile || uri.IsUnc)
        {
            problem = "it is not an absolute URL";
            return null;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && registryIsPlainHttp))
        {
            problem = registryIsPlainHttp ? "it is neither https nor http" : "it is not https, and the registry is not a plain-HTTP one";
            return null;
        }

        if (uri.UserInfo.Length > 0)
        {
            problem = "it carries user info";
            return null;
        }

        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address) && IsForbidden(address))
        {
            problem = "it is a link-local, multicast or unspecified address";
            return null;
        }

        return uri;
    }

    /// <summary>
    /// Addresses no registry or token service has: link-local (cloud metadata services live there), multicast,
    /// broadcast and unspecified. Connections to them are refused too, after a name resolves to one.
    /// </summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            byte[] bytes = address.GetAddressBytes();
            return (bytes[0] == 169 && bytes[1] == 254)
                || bytes[0] >= 224
                || address.Equals(IPAddress.Any);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.Equals(IPAddress.IPv6Any);
    }
}
