using System.Security.Cryptography;
using MultiArchContainers.Oci.Push.Sign;

namespace MultiArchContainers.Tasks;

/// <summary>
/// Signs every image of a published index and then the index itself with <c>ContainerSigningKey</c>, in cosign's
/// key-based format and as a Sigstore bundle referrer (<see cref="ImageSigner"/>): what deploy-time policies verify.
/// </summary>
public sealed class SignImages : MultiArchTask
{
    /// <summary>The PKCS#8 PEM private key (<see cref="SigningKey"/>).</summary>
    [Required]
    public string SigningKey { get; set; } = string.Empty;

    [Required]
    public string Registry { get; set; } = string.Empty;

    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>The index: Include is its digest.</summary>
    [Required]
    public ITaskItem Index { get; set; } = null!;

    /// <summary>The images it lists (platform images and attestation manifests): Include is each digest.</summary>
    public ITaskItem[] Images { get; set; } = [];

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        using ECDsa key = Oci.Push.Sign.SigningKey.Load(SigningKey, Environment.GetEnvironmentVariable);
        using var client = CreateClient(Registry, Registry);
        var signer = new ImageSigner(client, Repository, key);
        Digest[] digests = [.. Images.Select(i => Digest.Parse(i.ItemSpec)).Distinct(), Digest.Parse(Index.ItemSpec)];
        foreach (Digest digest in digests)
        {
            string added = await signer.SignAsync(digest, cancellationToken).ConfigureAwait(false);
            Detail(MessageImportance.Normal, $"{Registry}/{Repository}@{digest}: added {added}");
        }

        Info($"Signed the image index and its {digests.Length - 1} manifest(s) with {SigningKey}");
    }
}
