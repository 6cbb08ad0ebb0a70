using System.Security.Claims;
using System.Text.Encodings.Web;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Departments;

/// <summary>
/// A department's own tools call the department API with 'Authorization: Bearer mcd_…'. Only the SHA-256 of the
/// token is stored; the token names exactly one department, and every call is confined to that department.
/// </summary>
public sealed class DepartmentTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<MemberCareDb> dbFactory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DepartmentToken";
    public const string Policy = "department-api";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(DepartmentDirectory.TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return AuthenticateResult.Fail("Not a department token.");
        }
        // Looked up by hash: equal hashes mean equal tokens, and the lookup reveals nothing about near misses.
        var hash = DepartmentDirectory.HashToken(token);
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var department = await db.Departments.AsNoTracking().Where(d => d.ApiTokenHash == hash).Select(d => new { d.Key, d.Name }).FirstOrDefaultAsync(Context.RequestAborted);
        if (department is null)
        {
            return AuthenticateResult.Fail("The department token is not valid.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, department.Name + " (API)"), new Claim(Auth.DepartmentClaim, department.Key)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: "Send the department's API token as 'Authorization: Bearer mcd_…'.").ExecuteAsync(Context);
    }
}
