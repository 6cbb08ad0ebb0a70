using System.Net;
using MemberCare.Domain.Staff;
using MemberCare.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Tests.Workspace;

public sealed class WorkspaceAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/inbox")]
    [InlineData("/search")]
    [InlineData("/admin/staff")]
    [InlineData("/conversations/1")]
    public async Task Anonymous_users_are_sent_to_sign_in(string page)
    {
        await using var app = TestApp.Sqlite();
        var response = await StaffSession.Client(app).GetAsync(page, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Contains("/account/signin", location, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(page), location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_has_labelled_fields()
    {
        await using var app = TestApp.Sqlite();
        var html = await StaffSession.Client(app).GetStringAsync("/account/signin", Ct);
        Assert.Contains("<label for=\"userName\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_cannot_reach_the_admin_pages()
    {
        await using var app = TestApp.Sqlite();
        await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var client = await StaffSession.SignedInAsync(app, "agnes");

        var inbox = await client.GetAsync("/inbox", Ct);
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        var admin = await client.GetAsync("/admin/staff", Ct);
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.Contains("/account/denied", admin.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_reaches_the_staff_page()
    {
        await using var app = TestApp.Sqlite();
        await StaffSession.CreateAsync(app, "ada", StaffRoles.Admin, StaffRoles.Agent);
        var client = await StaffSession.SignedInAsync(app, "ada");
        var response = await client.GetAsync("/admin/staff", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ada Hansen", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_department_member_does_not_work_the_inbox()
    {
        await using var app = TestApp.Sqlite();
        await StaffSession.CreateAsync(app, "dora", StaffRoles.DepartmentMember);
        var client = await StaffSession.SignedInAsync(app, "dora");
        var response = await client.GetAsync("/inbox", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_without_a_key_answers_401_even_with_a_staff_cookie()
    {
        await using var app = TestApp.Sqlite();
        await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent, StaffRoles.Admin);
        var client = await StaffSession.SignedInAsync(app, "agnes");
        var response = await client.GetAsync("/api/v1/conversations", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var anonymous = await StaffSession.Client(app).GetAsync("/api/v1/conversations", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var withKey = await app.CreateApiClient().GetAsync("/api/v1/conversations", Ct);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    [Fact]
    public async Task An_API_key_does_not_open_the_pages()
    {
        await using var app = TestApp.Sqlite();
        var client = StaffSession.Client(app);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestApp.ApiKey);
        var response = await client.GetAsync("/inbox", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task The_first_start_creates_an_admin_who_must_change_the_one_time_password()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Staff:AdminPassword"] = "first-time-secret-123" });
        var client = StaffSession.Client(app);
        var signIn = await StaffSession.SignInAsync(client, "admin", "first-time-secret-123");
        Assert.StartsWith("/account/password", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var gated = await client.GetAsync("/inbox", Ct);
        Assert.Equal(HttpStatusCode.Redirect, gated.StatusCode);
        Assert.Equal("/account/password", gated.Headers.Location!.OriginalString);

        var token = await StaffSession.FormTokenAsync(client, "/account/password");
        var changed = await client.PostAsync("/account/password/submit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["currentPassword"] = "first-time-secret-123",
            ["newPassword"] = "my own long passphrase",
            ["confirmPassword"] = "my own long passphrase",
            ["returnUrl"] = "/admin/staff",
        }), Ct);
        Assert.Equal("/admin/staff", changed.Headers.Location!.OriginalString);
        var admin = await client.GetAsync("/admin/staff", Ct);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task A_short_new_password_is_refused()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Staff:AdminPassword"] = "first-time-secret-123" });
        var client = StaffSession.Client(app);
        await StaffSession.SignInAsync(client, "admin", "first-time-secret-123");
        var token = await StaffSession.FormTokenAsync(client, "/account/password");
        var changed = await client.PostAsync("/account/password/submit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["currentPassword"] = "first-time-secret-123",
            ["newPassword"] = "short",
            ["confirmPassword"] = "short",
        }), Ct);
        Assert.Contains("error=weak", changed.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Staff:SignInPermitsPerMinute"] = "100" });
        await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var client = StaffSession.Client(app);
        for (var i = 0; i < 5; i++)
        {
            await StaffSession.SignInAsync(client, "agnes", "not the password at all");
        }
        var right = await StaffSession.SignInAsync(client, "agnes", StaffSession.Password);
        Assert.Contains("error=locked", right.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_posts_beyond_the_limit_answer_429()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Staff:SignInPermitsPerMinute"] = "3" });
        var client = StaffSession.Client(app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await StaffSession.SignInAsync(client, "nobody", "whatever password")).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_sign_in_link_cannot_send_someone_to_another_site()
    {
        await using var app = TestApp.Sqlite();
        await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var response = await StaffSession.SignInAsync(StaffSession.Client(app), "agnes", StaffSession.Password, returnUrl: "//evil.example/steal");
        Assert.Equal("/inbox", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Choosing_Norwegian_is_remembered_for_the_person_and_the_inbox_speaks_it()
    {
        await using var app = TestApp.Sqlite();
        var id = await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var client = await StaffSession.SignedInAsync(app, "agnes");
        var switched = await client.GetAsync("/account/culture?culture=nb&returnUrl=%2Finbox", Ct);
        Assert.Equal("/inbox", switched.Headers.Location!.OriginalString);
        var html = await client.GetStringAsync("/inbox", Ct);
        Assert.Contains("Innboks", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"nb\"", html, StringComparison.Ordinal);

        await using var db = await app.OpenDbAsync();
        Assert.Equal("nb", (await db.Users.SingleAsync(u => u.Id == id, Ct)).Culture);

        // A fresh browser gets the person's language back at sign-in.
        var fresh = await StaffSession.SignedInAsync(app, "agnes");
        Assert.Contains("Innboks", await fresh.GetStringAsync("/inbox", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cookie_keys_are_kept_in_the_database_so_nodes_share_them()
    {
        await using var app = TestApp.Sqlite();
        await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        await StaffSession.SignedInAsync(app, "agnes");
        await using var db = await app.OpenDbAsync();
        Assert.True(await db.Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>().AnyAsync(Ct));
    }
}
