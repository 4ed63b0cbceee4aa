using System.Net.Http.Headers;

namespace MultiArchContainers.Testing;

/// <summary>Reads a registry's <c>/v2/_catalog</c> (skopeo has no catalogue command), over plain HTTP.</summary>
public static class RegistryCatalog
{
    public static async Task<IReadOnlyList<string>> RepositoriesAsync(string registry, string? credentials = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry}/v2/_catalog");
        if (credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["repositories"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
    }
}
