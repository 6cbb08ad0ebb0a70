using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MemberCare.Hosting;

public sealed class ApiOptions
{
    public List<string> Keys { get; set; } = [];
}

/// <summary>Bearer API keys for the machine-facing API: from configuration, plus MEMBERCARE_API_KEY.</summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiOptions> api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string EnvironmentVariable = "MEMBERCARE_API_KEY";

    private readonly byte[][] _keys = AllKeys(api.Value);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        var keyIndex = Array.FindIndex(_keys, k => CryptographicOperations.FixedTimeEquals(k, presented));
        if (keyIndex < 0)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"api-key-{keyIndex + 1}")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: "Send an API key as 'Authorization: Bearer <key>'.").ExecuteAsync(Context);
    }

    private static byte[][] AllKeys(ApiOptions api)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return [.. api.Keys.Append(fromEnvironment)
            .Where(k => !string.IsNullOrWhiteSpace(k))
            .Select(k => Encoding.UTF8.GetBytes(k!.Trim()))];
    }
}

public static class ApiKeys
{
    public const string Policy = "api";

    public static IServiceCollection AddMemberCareApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration("Api");
        services.AddAuthentication(ApiKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(ApiKeyHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }
}
