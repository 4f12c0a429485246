using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// The throw-away certificate authority the README's test command creates before the tests start
/// (TEST_CA_CERT, TEST_CA_KEY), and trusts through SSL_CERT_FILE. .NET reads SSL_CERT_FILE once per
/// process, before any test code runs, so the CA cannot be made here. The loopback fakes serve a
/// certificate issued by it, and the bot (JwtBearer metadata, MSAL, the connector client) trusts them
/// exactly as it trusts Microsoft's hosts: production code keeps requiring HTTPS, with no test switch.
/// </summary>
internal static class TestCertificateAuthority
{
    private static readonly Lazy<X509Certificate2> Server = new(IssueServerCertificate);
    private static readonly Lazy<X509Certificate2> Signer = new(IssueSigningCertificate);

    /// <summary>A certificate for 127.0.0.1, 127.0.0.2 and localhost (with private key).</summary>
    public static X509Certificate2 ServerCertificate => Server.Value;

    /// <summary>A signing certificate (as Partner Center signs webhooks), issued by the test CA.</summary>
    public static X509Certificate2 WebhookSigningCertificate => Signer.Value;

    /// <summary>The organization (<c>O=</c>) of the test CA, the issuer of <see cref="WebhookSigningCertificate"/>.</summary>
    public static string IssuerOrganization => "TeamsAlertBot tests";

    private static X509Certificate2 IssueSigningCertificate()
    {
        using X509Certificate2 ca = LoadCa();
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=pcnotifications-dispatch.test, O=TeamsAlertBot tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        DateTimeOffset notBefore = new(ca.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        DateTimeOffset notAfter = new(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using X509Certificate2 signed = request.Create(ca, notBefore, notAfter, serial);
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 LoadCa()
    {
        string? certFile = Environment.GetEnvironmentVariable("TEST_CA_CERT");
        string? keyFile = Environment.GetEnvironmentVariable("TEST_CA_KEY");
        if (string.IsNullOrEmpty(certFile) || string.IsNullOrEmpty(keyFile) || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SSL_CERT_FILE")))
        {
            throw new InvalidOperationException(
                "The HTTPS fakes need the test CA: run the tests with the README's test command (build/test.sh), which creates it and sets TEST_CA_CERT, TEST_CA_KEY and SSL_CERT_FILE.");
        }

        return X509Certificate2.CreateFromPemFile(certFile, keyFile);
    }

    private static X509Certificate2 IssueServerCertificate()
    {
        using X509Certificate2 ca = LoadCa();
        using RSA serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Parse("127.0.0.1"));
        san.AddIpAddress(IPAddress.Parse("127.0.0.2"));
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        DateTimeOffset notBefore = new(ca.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        DateTimeOffset notAfter = new(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        using X509Certificate2 signed = request.Create(ca, notBefore, notAfter, serial);
        // Through PKCS#12 so Kestrel on Linux gets a certificate with a usable private key.
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(serverKey);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
