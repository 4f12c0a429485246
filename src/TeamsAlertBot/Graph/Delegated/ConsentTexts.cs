using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// What the partner admin reads on the consent pages, per language (complete catalogs, as the bot's
/// text catalogs). The browser's <c>Accept-Language</c> chooses; English otherwise.
/// </summary>
internal sealed record ConsentTexts
{
    public required string Language { get; init; }

    public required string Title { get; init; }

    /// <summary>{0}: the account; {1}: the mode setting.</summary>
    public required string Done { get; init; }

    /// <summary>{0}: the path to start again.</summary>
    public required string StartAgain { get; init; }

    public required string NoState { get; init; }

    public required string OtherBrowser { get; init; }

    public required string Expired { get; init; }

    public required string NoCode { get; init; }

    /// <summary>{0}: Entra ID's error code.</summary>
    public required string SignInError { get; init; }

    /// <summary>{0}: Entra ID's error code.</summary>
    public required string CodeRefused { get; init; }

    public required string EntraUnreachable { get; init; }

    /// <summary>{0}: why (one of the rejection texts).</summary>
    public required string NotSetUp { get; init; }

    public required string NoIdToken { get; init; }

    public required string NonceMismatch { get; init; }

    public required string OtherTenant { get; init; }

    public required string Guest { get; init; }

    public required string NoObjectId { get; init; }

    public required string NotAllowedAdmin { get; init; }

    public string Format(string format, params object?[] args) => string.Format(CultureInfo.GetCultureInfo(Language), format, args);

    public static ConsentTexts En { get; } = new()
    {
        Language = "en",
        Title = "Graph consent",
        Done = "Delegated Microsoft Graph access is set up for {0}. The bot uses it when Graph:Delegated:Mode is Fallback or Always (now {1}). You can close this window.",
        StartAgain = "Start again at {0}.",
        NoState = "The callback has no state.",
        OtherBrowser = "This sign-in was not started from this browser (state and consent cookie do not match).",
        Expired = "The consent request has expired.",
        NoCode = "The callback has neither a code nor an error.",
        SignInError = "The sign-in did not complete: Entra ID answered '{0}'.",
        CodeRefused = "Entra ID refused the sign-in code ({0}).",
        EntraUnreachable = "Entra ID could not be reached to redeem the sign-in code.",
        NotSetUp = "Delegated Graph access was not set up: {0}.",
        NoIdToken = "Entra ID returned no id token or account",
        NonceMismatch = "the id token's nonce is not this consent request's",
        OtherTenant = "the account signed in to another tenant than AzureAd:TenantId",
        Guest = "the account is a guest from another tenant, not a member of the partner tenant",
        NoObjectId = "the id token has no object id",
        NotAllowedAdmin = "the user is not in Graph:Delegated:AllowedAdminObjectIds",
    };

    public static ConsentTexts Ja { get; } = new()
    {
        Language = "ja",
        Title = "Graph への同意",
        Done = "{0} の委任された Microsoft Graph アクセスを設定しました。Graph:Delegated:Mode が Fallback または Always のときにボットが使用します (現在: {1})。このウィンドウは閉じてかまいません。",
        StartAgain = "{0} からやり直してください。",
        NoState = "コールバックに state がありません。",
        OtherBrowser = "このサインインはこのブラウザーで開始されたものではありません (state と同意 Cookie が一致しません)。",
        Expired = "同意要求の有効期限が切れています。",
        NoCode = "コールバックにコードもエラーもありません。",
        SignInError = "サインインが完了しませんでした。Entra ID の応答: '{0}'。",
        CodeRefused = "Entra ID がサインイン コードを拒否しました ({0})。",
        EntraUnreachable = "サインイン コードを引き換えるための Entra ID に接続できませんでした。",
        NotSetUp = "委任された Graph アクセスは設定されませんでした: {0}。",
        NoIdToken = "Entra ID が ID トークンまたはアカウントを返しませんでした",
        NonceMismatch = "ID トークンの nonce がこの同意要求のものではありません",
        OtherTenant = "アカウントが AzureAd:TenantId とは別のテナントにサインインしました",
        Guest = "アカウントは他のテナントからのゲストで、パートナー テナントのメンバーではありません",
        NoObjectId = "ID トークンにオブジェクト ID がありません",
        NotAllowedAdmin = "ユーザーが Graph:Delegated:AllowedAdminObjectIds に含まれていません",
    };

    public static IReadOnlyList<ConsentTexts> All { get; } = [En, Ja];

    /// <summary>The catalog of the browser's most preferred language we have (by <c>Accept-Language</c> quality).</summary>
    public static ConsentTexts For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out IList<StringWithQualityHeaderValue>? languages))
        {
            return En;
        }

        foreach (StringWithQualityHeaderValue language in languages.Where(l => (l.Quality ?? 1) > 0).OrderByDescending(l => l.Quality ?? 1))
        {
            string tag = language.Value.Value ?? string.Empty;
            if (tag.StartsWith("ja", StringComparison.OrdinalIgnoreCase))
            {
                return Ja;
            }

            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return En;
            }
        }

        return En;
    }
}
