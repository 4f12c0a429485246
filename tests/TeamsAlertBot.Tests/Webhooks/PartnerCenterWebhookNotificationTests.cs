using System.Security.Cryptography.X509Certificates;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.Tests.Webhooks;

public sealed class PartnerCenterWebhookNotificationTests
{
    [Theory]
    [InlineData("https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId=9E8D7C6B-0000-4000-8000-00000000A001&EventStatus=Active", "9e8d7c6b-0000-4000-8000-00000000a001", "Active")]
    [InlineData("https://api.partnercenter.microsoft.com/v1/fraudEvents?eventStatus=Resolved&subscriptionid=9e8d7c6b-0000-4000-8000-00000000a001", "9e8d7c6b-0000-4000-8000-00000000a001", "Resolved")]
    [InlineData("/v1/fraudEvents?SubscriptionId=%7B9e8d7c6b-0000-4000-8000-00000000a001%7D", "9e8d7c6b-0000-4000-8000-00000000a001", null)]
    [InlineData("https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId=x'%20or%201%20eq%201&EventStatus=Active", null, "Active")]
    [InlineData("https://api.partnercenter.microsoft.com/v1/fraudEvents", null, null)]
    [InlineData(null, null, null)]
    public void ReadResourceQuery_ResourceUri_ExtractsGuidSubscriptionAndStatus(string? resourceUri, string? subscriptionId, string? status)
    {
        var notification = new PartnerCenterWebhookNotification { EventName = "azure-fraud-event-detected", ResourceUri = resourceUri };

        Assert.Equal((subscriptionId, status), notification.ReadResourceQuery());
    }

    [Theory]
    [InlineData("2026-11-28T08:58:12Z", "2026-11-28T08:58:12+00:00")]
    [InlineData("2026-11-28T10:58:12+02:00", "2026-11-28T08:58:12+00:00")]
    [InlineData("11/28/2026 08:58:12", "2026-11-28T08:58:12+00:00")]
    public void ParseChangeDate_Formats_ReadAsUtc(string text, string expected)
    {
        var notification = new PartnerCenterWebhookNotification { ResourceChangeUtcDate = text };

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), notification.ParseChangeDate());
    }

    [Fact]
    public void IssuerOrganizationIs_ExactOrganizationElement_True()
    {
        var issuer = new X500DistinguishedName("CN=Microsoft Azure RSA TLS Issuing CA 04, O=Microsoft Corporation, C=US");

        Assert.True(WebhookSignatureVerifier.IssuerOrganizationIs(issuer, "Microsoft Corporation"));
    }

    [Fact]
    public void IssuerOrganizationIs_NameOnlyInsideAnotherElement_False()
    {
        // Microsoft's sample tests Issuer.Contains("O=Microsoft Corporation"); this issuer passes that test.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationalUnitName("O=Microsoft Corporation");
        builder.AddOrganizationName("Evil Ltd");
        builder.AddCommonName("Evil CA");
        X500DistinguishedName issuer = builder.Build();

        Assert.Contains("O=Microsoft Corporation", issuer.Name, StringComparison.Ordinal);
        Assert.False(WebhookSignatureVerifier.IssuerOrganizationIs(issuer, "Microsoft Corporation"));
    }

    [Fact]
    public void IssuerOrganizationIs_DifferentCase_False()
    {
        var issuer = new X500DistinguishedName("CN=Some CA, O=microsoft corporation");

        Assert.False(WebhookSignatureVerifier.IssuerOrganizationIs(issuer, "Microsoft Corporation"));
    }
}
