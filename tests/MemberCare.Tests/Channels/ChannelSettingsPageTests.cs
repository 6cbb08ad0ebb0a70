using Bunit;
using MemberCare.Channels;
using MemberCare.Features.ChannelSettings;
using MemberCare.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Channels;

/// <summary>The admin pages for channel secrets and the reviews upload, rendered on the real services.</summary>
public sealed class ChannelSettingsPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_sets_the_imap_password_sees_only_its_last_four_characters_and_removes_it_again()
    {
        await using var app = TestApp.Sqlite(new Dictionary<string, string?> { ["Channels:Shopify:WebhookSecret"] = "configured-shopify-secret-9876" });
        await using var ctx = Context(app);
        var cut = ctx.Render<ChannelSecretsPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("tbody tr").Count), TimeSpan.FromSeconds(5));
        Assert.Contains("••••••••9876", Row(cut, "Shopify webhook secret").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("configured-shopify-secret", cut.Markup, StringComparison.Ordinal);

        const string password = "imap-password-rotated-4321";
        await cut.Find("#secret-Email-ImapPassword").ChangeAsync(new ChangeEventArgs { Value = password });
        await cut.FindAll("button").Single(b => b.TextContent == "Save IMAP password").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        cut.WaitForAssertion(() => Assert.Contains("IMAP password saved.", cut.Find("[role=status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        var row = Row(cut, "IMAP password");
        Assert.Contains("••••••••4321", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("stored here", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ada Admin", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(password, cut.Markup, StringComparison.Ordinal);
        Assert.Equal(password, await app.Services.GetRequiredService<ChannelSecrets>().GetAsync(ChannelSecrets.ImapPassword, Ct));

        await cut.FindAll("button").Single(b => b.TextContent == "Remove stored IMAP password").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        cut.WaitForAssertion(() => Assert.Contains("not set", Row(cut, "IMAP password").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Saving_an_empty_secret_says_what_to_do_and_stores_nothing()
    {
        await using var app = TestApp.Sqlite();
        await using var ctx = Context(app);
        var cut = ctx.Render<ChannelSecretsPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("tbody tr").Count), TimeSpan.FromSeconds(5));

        await cut.FindAll("button").Single(b => b.TextContent == "Save Meta app secret").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        cut.WaitForAssertion(() => Assert.Equal("Type the new value first.", cut.Find("[role=alert]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Null(await app.Services.GetRequiredService<ChannelSecrets>().GetAsync(ChannelSecrets.MetaAppSecret, Ct));
    }

    [Fact]
    public async Task An_uploaded_reviews_file_shows_the_accepted_count_and_each_rejected_row_with_its_reason()
    {
        await using var app = TestApp.Sqlite();
        await using var ctx = Context(app);
        var t = Api.Unique("r");
        var csv = $"""
            review_id,rating,sku,reviewer,email,title,body,created_at
            {t}-1,2,JKT-220-L,Ola Hansen,ola@example.no,Broke,The zipper broke after one wear.,2026-11-21T10:00:00Z
            {t}-2,5,DRS-100-S,Kari Nordmann,kari@example.no,Lovely,Fits perfectly.,2026-11-21T11:00:00Z
            {t}-3,9,DRS-100-M,Per Berg,per@example.no,Odd,Rating out of range.,2026-11-21T12:00:00Z
            """;
        var cut = ctx.Render<ReviewImportPage>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "reviews.csv", contentType: "text/csv"));

        cut.WaitForAssertion(() => Assert.Equal("2 rows accepted, 1 rejected.", cut.Find("[role=status]").TextContent), TimeSpan.FromSeconds(10));
        var rejected = Assert.Single(cut.FindAll("tbody tr"));
        Assert.StartsWith("4", rejected.Children[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("rating", rejected.Children[1].TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("reviews.csv", cut.Find("#review-report-title").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 flagged for care", cut.Markup, StringComparison.Ordinal);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(2, await db.Reviews.CountAsync(r => r.ReviewKey.StartsWith("review:" + t), Ct));
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<ChannelSecretsPage> cut, string label) =>
        cut.FindAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent.StartsWith(label, StringComparison.Ordinal));

    private static BunitContext Context(TestApp app)
    {
        var ctx = new BunitContext();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton(app.Services.GetRequiredService<ChannelSecrets>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<ReviewUpload>());
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("Ada Admin");
        auth.SetRoles("admin");
        auth.SetClaims(new System.Security.Claims.Claim(MemberCare.Hosting.Auth.DisplayNameClaim, "Ada Admin"));
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return ctx;
    }
}
