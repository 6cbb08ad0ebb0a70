using System.Net;
using System.Text.RegularExpressions;
using MemberCare.Domain.Staff;
using MemberCare.Features.Staff;
using MemberCare.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Workspace;

/// <summary>A browser-like client: keeps cookies, follows no redirects, and signs in through the real forms.</summary>
public static partial class StaffSession
{
    public const string Password = "correct horse battery staple";

    public static HttpClient Client(TestApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Creates a person with the given roles and a password they have already chosen.</summary>
    public static async Task<string> CreateAsync(TestApp app, string userName, params string[] roles)
    {
        var directory = app.Services.GetRequiredService<StaffDirectory>();
        var created = await directory.CreateAsync(new NewStaffMember(userName, userName[..1].ToUpperInvariant() + userName[1..] + " Hansen", null, null, roles), Password, TestContext.Current.CancellationToken);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();
        var user = (await users.FindByNameAsync(userName))!;
        user.PasswordChosen();
        await users.UpdateAsync(user);
        return user.Id;
    }

    public static async Task<HttpClient> SignedInAsync(TestApp app, string userName, string password = Password)
    {
        var client = Client(app);
        var response = await SignInAsync(client, userName, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("error=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password, string returnUrl = "/inbox")
    {
        var token = await FormTokenAsync(client, "/account/signin");
        return await client.PostAsync("/account/signin/submit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }), TestContext.Current.CancellationToken);
    }

    public static async Task<string> FormTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page, TestContext.Current.CancellationToken);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {page}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
