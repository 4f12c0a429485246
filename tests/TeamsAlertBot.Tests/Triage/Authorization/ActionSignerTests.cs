using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using TeamsAlertBot.Tests.Triage.Authorization.Fakes;
using TeamsAlertBot.Triage.Authorization;

namespace TeamsAlertBot.Tests.Triage.Authorization;

public sealed class ActionSignerTests
{
    private static readonly string KeyA = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Range(101, 48).Select(i => (byte)i).ToArray());
    private static readonly ActionClaims Claims = new(
        "2a6f3c1e-9b8d-4e7f-a1b2-c3d4e5f6a7b8", "triage.fraud", 3, "19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2;messageid=1764321600123");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<ActionClaims> OneFieldChanged => new()
    {
        Claims with { AlertId = "2a6f3c1e-9b8d-4e7f-a1b2-c3d4e5f6a7b9" },
        Claims with { Verb = "triage.legitimate" },
        Claims with { CardVersion = 4 },
        Claims with { CardVersion = -3 },
        Claims with { ConversationId = "19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2;messageid=1764321600124" },
        Claims with { ConversationId = "19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2" },
        Claims with { AlertId = Claims.AlertId.ToUpperInvariant() },
    };

    [Fact]
    public void TryVerify_SignatureOfTheSameClaims_True()
    {
        ActionSigner signer = Signer(KeyA);

        string signature = signer.Sign(Claims);

        Assert.True(signer.TryVerify(signature, Claims));
        Assert.True(signer.TryVerify(signature, Claims with { }));
    }

    [Fact]
    public void Sign_AnyClaims_Base64UrlOfAFullHmacSha256()
    {
        string signature = Signer(KeyA).Sign(Claims);

        Assert.Equal(43, signature.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", signature);
        Assert.Equal(signature, Signer(KeyA).Sign(Claims));
    }

    [Theory]
    [MemberData(nameof(OneFieldChanged))]
    public void TryVerify_OneFieldChanged_False(ActionClaims changed)
    {
        ActionSigner signer = Signer(KeyA);

        Assert.False(signer.TryVerify(signer.Sign(Claims), changed));
    }

    [Theory]
    [InlineData("ab", "c", "a", "bc")]
    [InlineData("a", "", "", "a")]
    [InlineData("a\0", "b", "a", "\0b")]
    public void TryVerify_SameCharactersSplitDifferentlyAcrossFields_False(string alert1, string verb1, string alert2, string verb2)
    {
        ActionSigner signer = Signer(KeyA);
        string signature = signer.Sign(new ActionClaims(alert1, verb1, 1, "c"));

        Assert.False(signer.TryVerify(signature, new ActionClaims(alert2, verb2, 1, "c")));
    }

    [Fact]
    public void TryVerify_FieldsSwapped_False()
    {
        ActionSigner signer = Signer(KeyA);
        string signature = signer.Sign(new ActionClaims("x", "y", 1, "c"));

        Assert.False(signer.TryVerify(signature, new ActionClaims("y", "x", 1, "c")));
    }

    [Fact]
    public void TryVerify_TruncatedOrExtendedOrGarbledSignature_False()
    {
        ActionSigner signer = Signer(KeyA);
        string signature = signer.Sign(Claims);
        char flipped = signature[10] == 'A' ? 'B' : 'A';

        Assert.False(signer.TryVerify(signature[..42], Claims));
        Assert.False(signer.TryVerify(signature[..22], Claims));
        Assert.False(signer.TryVerify(signature + "A", Claims));
        Assert.False(signer.TryVerify(signature + "=", Claims));
        Assert.False(signer.TryVerify(string.Concat(signature.AsSpan(0, 10), flipped.ToString(), signature.AsSpan(11)), Claims));
        Assert.False(signer.TryVerify(new string('*', 43), Claims));
        Assert.False(signer.TryVerify("not a signature", Claims));
        Assert.False(signer.TryVerify(string.Empty, Claims));
        Assert.False(signer.TryVerify(null, Claims));
    }

    [Fact]
    public void TryVerify_SignedWithARotatedOutKeyStillListedAsPrevious_True()
    {
        string signedBeforeRotation = Signer(KeyA).Sign(Claims);

        ActionSigner rotated = Signer(KeyB, previous: [KeyA]);

        Assert.True(rotated.TryVerify(signedBeforeRotation, Claims));
        Assert.False(rotated.TryVerify(signedBeforeRotation, Claims with { CardVersion = 4 }));
        Assert.NotEqual(signedBeforeRotation, rotated.Sign(Claims));
    }

    [Fact]
    public void TryVerify_SignedWithAnotherKey_False()
    {
        string signature = Signer(KeyB).Sign(Claims);

        Assert.False(Signer(KeyA).TryVerify(signature, Claims));
    }

    [Fact]
    public void SignAndTryVerify_UnpairedSurrogate_RefusedRatherThanSignedAsReplacementCharacter()
    {
        ActionSigner signer = Signer(KeyA);
        string replaced = signer.Sign(Claims with { Verb = "\uFFFD" });

        Assert.Throws<ArgumentException>(() => signer.Sign(Claims with { Verb = "\uD800" }));
        Assert.False(signer.TryVerify(replaced, Claims with { Verb = "\uD800" }));
    }

    [Fact]
    public void Constructor_DevelopmentWithoutKey_SignsWithAKeyOfItsOwnAndWarns()
    {
        var logs = new FakeLogger<ActionSigner>();
        ActionSigner first = new(Options.Create(new ActionSigningOptions()), new TriageFakeEnvironment(Environments.Development), logs);
        ActionSigner second = new(Options.Create(new ActionSigningOptions()), new TriageFakeEnvironment(Environments.Development), new FakeLogger<ActionSigner>());

        string signature = first.Sign(Claims);

        Assert.True(first.TryVerify(signature, Claims));
        Assert.False(second.TryVerify(signature, Claims));
        FakeLogRecord warning = Assert.Single(logs.Collector.GetSnapshot());
        Assert.Equal(5020, warning.Id.Id);
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task StartAsync_ProductionWithoutKey_FailsNamingTriageActionSigningKey()
    {
        Dictionary<string, string?> config = TriageAuthorizationTestHost.Configured();
        config.Remove("Triage:ActionSigningKey");
        using IHost host = TriageAuthorizationTestHost.Build(config, Environments.Production);

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Triage:ActionSigningKey is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_KeyShorterThan32Bytes_FailsNamingTheKey()
    {
        Dictionary<string, string?> config = TriageAuthorizationTestHost.Configured();
        config["Triage:ActionSigningKey"] = Convert.ToBase64String(new byte[31]);
        using IHost host = TriageAuthorizationTestHost.Build(config, Environments.Development);

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Triage:ActionSigningKey is not base64 of at least 32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MalformedPreviousKey_FailsNamingTheEntry()
    {
        Dictionary<string, string?> config = TriageAuthorizationTestHost.Configured();
        config["Triage:PreviousActionSigningKeys:0"] = "not base64!";
        using IHost host = TriageAuthorizationTestHost.Build(config);

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Triage:PreviousActionSigningKeys:0", error.Message, StringComparison.Ordinal);
    }

    private static ActionSigner Signer(string key, string[]? previous = null) => new(
        Options.Create(new ActionSigningOptions { ActionSigningKey = key, PreviousActionSigningKeys = [.. previous ?? []] }),
        new TriageFakeEnvironment(Environments.Production),
        new FakeLogger<ActionSigner>());
}
