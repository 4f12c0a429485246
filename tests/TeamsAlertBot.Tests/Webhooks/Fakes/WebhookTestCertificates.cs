using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TeamsAlertBot.Tests.Webhooks.Fakes;

/// <summary>
/// A throw-away CA and a signing certificate it issued, made in memory (no revocation endpoints),
/// plus the signing key, so a test can sign bodies the way Partner Center does.
/// </summary>
internal sealed class WebhookTestCertificates : IDisposable
{
    /// <summary>The fake clock's "now" in webhook tests; the certificates are valid around it.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private readonly RSA _signingKey;

    private WebhookTestCertificates(X509Certificate2 root, X509Certificate2 signer, RSA signingKey)
    {
        Root = root;
        Signer = signer;
        _signingKey = signingKey;
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Signer { get; }

    /// <summary>The signing certificate as a <c>.cer</c> file (DER), as Microsoft's blob serves it.</summary>
    public byte[] SignerDer => Signer.Export(X509ContentType.Cert);

    public static WebhookTestCertificates Create(
        string issuerOrganization = "Contoso Test CA", DateTimeOffset? signerNotAfter = null, int signerKeySize = 2048)
    {
        using RSA rootKey = RSA.Create(2048);
        var rootName = new X500DistinguishedNameBuilder();
        rootName.AddCommonName("Webhook Test Root");
        rootName.AddOrganizationName(issuerOrganization);
        var rootRequest = new CertificateRequest(rootName.Build(), rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        X509Certificate2 root = rootRequest.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5));

        RSA signingKey = RSA.Create(signerKeySize);
        var signerRequest = new CertificateRequest("CN=pcnotifications-dispatch.partnercenter.test", signingKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        signerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        signerRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        DateTimeOffset notAfter = signerNotAfter ?? Now.AddDays(30);
        using X509Certificate2 signer = signerRequest.Create(root, notAfter.AddDays(-60), notAfter, [0x0b, 0x0e, 0x0e, 0x0f]);
        return new WebhookTestCertificates(root, X509CertificateLoader.LoadCertificate(signer.Export(X509ContentType.Cert)), signingKey);
    }

    /// <summary>The base64 RSA PKCS#1 v1.5 SHA-256 signature of <paramref name="body"/>.</summary>
    public string Sign(byte[] body) => Convert.ToBase64String(_signingKey.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public void Dispose()
    {
        Root.Dispose();
        Signer.Dispose();
        _signingKey.Dispose();
    }
}
