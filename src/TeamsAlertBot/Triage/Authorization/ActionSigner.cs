using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Triage.Authorization;

/// <summary>What a card button's signature vouches for: this verb, on this alert, from this card version, in this conversation.</summary>
/// <param name="AlertId">The partner security alert id.</param>
/// <param name="Verb">The button's verb (e.g. <c>triage.fraud</c>).</param>
/// <param name="CardVersion">The version of the card that carried the button.</param>
/// <param name="ConversationId">The conversation the card was posted in (a channel thread id includes <c>;messageid=</c>).</param>
public sealed record ActionClaims(string AlertId, string Verb, int CardVersion, string ConversationId);

/// <summary>
/// Signs card action data so that a click cannot be re-aimed at another alert, verb, card version or
/// conversation: HMAC-SHA256 over a length-prefixed encoding of <see cref="ActionClaims"/>, keyed
/// with <c>Triage:ActionSigningKey</c>; <c>Triage:PreviousActionSigningKeys</c> still verify during
/// a rotation. Signatures are base64url (43 characters).
/// </summary>
public sealed class ActionSigner
{
    private const int MacLength = 32; // HMAC-SHA256

    // Domain separation: the same key must never produce a MAC that also means something else.
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("TeamsAlertBot/card-action/v1");

    // Throws on lone surrogates instead of replacing them with U+FFFD, which would let two different
    // strings encode (and so sign) alike.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _key;
    private readonly IReadOnlyList<byte[]> _previousKeys;
    private readonly ILogger<ActionSigner> _logger;

    public ActionSigner(IOptions<ActionSigningOptions> options, IHostEnvironment environment, ILogger<ActionSigner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _logger = logger;
        ActionSigningOptions settings = options.Value;
        if (ActionSigningOptions.TryDecodeKey(settings.ActionSigningKey) is { } key)
        {
            _key = key;
        }
        else if (environment.IsDevelopment() && string.IsNullOrWhiteSpace(settings.ActionSigningKey))
        {
            _key = RandomNumberGenerator.GetBytes(MacLength);
            TriageAuthorizationLog.EphemeralSigningKey(logger);
        }
        else
        {
            throw new OptionsValidationException(ActionSigningOptions.KeyPath, typeof(ActionSigningOptions), [ActionSigningOptions.MissingKeyMessage]);
        }

        _previousKeys = [.. settings.PreviousActionSigningKeys.Select(ActionSigningOptions.TryDecodeKey).OfType<byte[]>()];
    }

    /// <summary>The base64url HMAC of <paramref name="claims"/> under the current key.</summary>
    /// <exception cref="ArgumentException">A field holds an unpaired surrogate (not text).</exception>
    public string Sign(ActionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        byte[] message = Encode(claims) ?? throw new ArgumentException("The action claims hold invalid UTF-16 (an unpaired surrogate).", nameof(claims));
        return Base64Url.EncodeToString(HMACSHA256.HashData(_key, message));
    }

    /// <summary>
    /// True when <paramref name="signature"/> is the HMAC of <paramref name="claims"/> under the current
    /// key or a previous one. False for anything else: another claim, a truncated or garbled
    /// signature, another key. Compared in constant time.
    /// </summary>
    public bool TryVerify(string? signature, ActionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        Span<byte> presented = stackalloc byte[MacLength];
        if (string.IsNullOrEmpty(signature)
            || signature.Length != Base64Url.GetEncodedLength(MacLength)
            // The OperationStatus overload reports bad input; TryDecodeFromChars throws on it.
            || Base64Url.DecodeFromChars(signature, presented, out _, out int written) != OperationStatus.Done
            || written != MacLength
            || Encode(claims) is not { } message)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        HMACSHA256.HashData(_key, message, expected);
        if (CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            return true;
        }

        for (int i = 0; i < _previousKeys.Count; i++)
        {
            HMACSHA256.HashData(_previousKeys[i], message, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, presented))
            {
                TriageAuthorizationLog.VerifiedWithPreviousKey(_logger, i);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// purpose ‖ len(alertId) alertId ‖ len(verb) verb ‖ cardVersion ‖ len(conversationId) conversationId,
    /// lengths and the version as 4-byte big-endian: no two claim sets encode alike. Null when a field is not valid text.
    /// </summary>
    private static byte[]? Encode(ActionClaims claims)
    {
        byte[] alert, verb, conversation;
        try
        {
            alert = StrictUtf8.GetBytes(claims.AlertId ?? string.Empty);
            verb = StrictUtf8.GetBytes(claims.Verb ?? string.Empty);
            conversation = StrictUtf8.GetBytes(claims.ConversationId ?? string.Empty);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }

        byte[] message = new byte[(4 * 5) + Purpose.Length + alert.Length + verb.Length + conversation.Length];
        int offset = 0;
        Append(message, ref offset, Purpose);
        Append(message, ref offset, alert);
        Append(message, ref offset, verb);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(offset), claims.CardVersion);
        offset += 4;
        Append(message, ref offset, conversation);
        return message;
    }

    private static void Append(byte[] message, ref int offset, byte[] field)
    {
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(offset), field.Length);
        offset += 4;
        field.CopyTo(message, offset);
        offset += field.Length;
    }
}

/// <summary>The card action signing keys (<c>Triage</c> section), checked at start.</summary>
public sealed class ActionSigningOptions
{
    /// <summary>The configuration section this class is bound from.</summary>
    public const string SectionName = "Triage";

    internal const string KeyPath = $"{SectionName}:{nameof(ActionSigningKey)}";

    internal const string MissingKeyMessage =
        $"{KeyPath} is required outside the Development environment: set it to at least 32 random bytes in base64 (e.g. `openssl rand -base64 32`), from user secrets, the environment (Triage__ActionSigningKey) or Key Vault. Without it, card buttons could not be verified.";

    private const int MinimumKeyBytes = 32;

    /// <summary>The current key, base64 (at least 32 bytes): signs and verifies.</summary>
    public string? ActionSigningKey { get; set; }

    /// <summary>Keys being rotated out, base64: verify only, so cards posted before a rotation keep working.</summary>
    public List<string> PreviousActionSigningKeys { get; set; } = [];

    /// <summary>The key bytes, or null when <paramref name="base64"/> is not base64 of at least 32 bytes.</summary>
    internal static byte[]? TryDecodeKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        byte[] buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out int written) && written >= MinimumKeyBytes
            ? buffer[..written]
            : null;
    }

    internal static string? Check(string? base64, string path) => TryDecodeKey(base64) is null
        ? $"{path} is not base64 of at least {MinimumKeyBytes} bytes (e.g. `openssl rand -base64 32`)."
        : null;
}

/// <summary>Requires a well-formed key outside Development, and well-formed keys wherever one is set.</summary>
internal sealed class ActionSigningOptionsValidator(IHostEnvironment environment) : IValidateOptions<ActionSigningOptions>
{
    public ValidateOptionsResult Validate(string? name, ActionSigningOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.ActionSigningKey))
        {
            if (!environment.IsDevelopment())
            {
                failures.Add(ActionSigningOptions.MissingKeyMessage);
            }
        }
        else if (ActionSigningOptions.Check(options.ActionSigningKey, ActionSigningOptions.KeyPath) is { } failure)
        {
            failures.Add(failure);
        }

        for (int i = 0; i < options.PreviousActionSigningKeys.Count; i++)
        {
            if (ActionSigningOptions.Check(options.PreviousActionSigningKeys[i], $"{ActionSigningOptions.SectionName}:{nameof(ActionSigningOptions.PreviousActionSigningKeys)}:{i}") is { } failure)
            {
                failures.Add(failure);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
