using System.Security.Cryptography.X509Certificates;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.Tests.Webhooks.Fakes;

/// <summary>Trusts one test root instead of the machine's store (the only way tests change the trust).</summary>
internal sealed class WebhookTestRootTrust(X509Certificate2 root) : IWebhookCertificateTrust
{
    public void Apply(X509ChainPolicy policy)
    {
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Clear();
        policy.CustomTrustStore.Add(root);
    }
}
