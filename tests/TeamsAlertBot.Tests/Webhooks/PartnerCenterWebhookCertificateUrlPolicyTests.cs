using Microsoft.Extensions.Options;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.Tests.Webhooks;

public sealed class PartnerCenterWebhookCertificateUrlPolicyTests
{
    private static readonly WebhookCertificateUrlPolicy Defaults = new(Options.Create(new PartnerCenterWebhookOptions()));

    [Theory]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/pcnotifications.microsoft.com.cer")]
    [InlineData("https://3PSOSTORAGEACCT.blob.core.windows.net:443/cert/pcnotifications-dispatch.microsoft.com.CER")]
    public void Check_MicrosoftCertificateUrl_Allowed(string url)
    {
        Assert.NotNull(Defaults.Check(url));
    }

    [Theory]
    [InlineData("http://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer")]
    [InlineData("https://evil.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net.evil.example/cert/x.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net:8443/cert/x.cer")]
    [InlineData("https://a:b@3psostorageacct.blob.core.windows.net/cert/x.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/Cert/x.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/certs/x.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/x.cer.exe")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/../private/x.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert//x.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/a%2Fb.cer")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/x.cer#frag")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/x.cer?sv=2026-01-01")]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/x.cer?")]
    [InlineData("https://127.0.0.1/cert/x.cer")]
    [InlineData("not a url")]
    [InlineData("")]
    public void Check_OtherUrl_Refused(string url)
    {
        Assert.Null(Defaults.Check(url));
    }

    [Fact]
    public void Check_OverlongUrl_Refused()
    {
        string url = $"https://3psostorageacct.blob.core.windows.net/cert/{new string('a', WebhookCertificateUrlPolicy.MaxUrlLength)}.cer";

        Assert.Null(Defaults.Check(url));
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443/test-certs/signer.crt", true)]
    [InlineData("https://127.0.0.1/test-certs/signer.crt", false)]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/x.cer", false)]
    public void Check_ConfiguredLoopbackHostAndPathRule_ReplacesDefaults(string url, bool allowed)
    {
        var policy = new WebhookCertificateUrlPolicy(Options.Create(new PartnerCenterWebhookOptions
        {
            CertificateHosts = ["127.0.0.1:8443"],
            CertificatePathPrefix = "/test-certs/",
            CertificatePathSuffix = ".crt",
        }));

        Assert.Equal(allowed, policy.Check(url) is not null);
    }

    [Theory]
    [InlineData("certs.contoso.test", true)]
    [InlineData("127.0.0.1:8443", true)]
    [InlineData("https://certs.contoso.test", false)]
    [InlineData("certs.contoso.test/cert", false)]
    [InlineData("user@certs.contoso.test", false)]
    [InlineData(" ", false)]
    public void Validate_CertificateHostEntry_AcceptsHostOrHostAndPortOnly(string entry, bool valid)
    {
        var options = new PartnerCenterWebhookOptions { CertificateHosts = [entry] };

        ValidateOptionsResult result = new PartnerCenterWebhookOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
    }
}
