using System.Security.Cryptography.X509Certificates;

namespace TeamsAlertBot.Webhooks;

/// <summary>
/// Chooses the trust anchors the signing certificate's chain is built against. Production uses the
/// machine's trust store; a test registers its own implementation with a test root. There is
/// deliberately no switch that turns chain validation off.
/// </summary>
public interface IWebhookCertificateTrust
{
    /// <summary>Sets the trust mode (and, for a custom root, the trust store) on the chain policy.</summary>
    void Apply(X509ChainPolicy policy);
}

/// <summary>The operating system's trusted roots.</summary>
internal sealed class SystemWebhookCertificateTrust : IWebhookCertificateTrust
{
    public void Apply(X509ChainPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.TrustMode = X509ChainTrustMode.System;
    }
}
