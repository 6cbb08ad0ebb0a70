using MemberCare.Components.Common;
using MemberCare.Domain.Workspace;
using MemberCare.Features.Staff;

namespace MemberCare.Tests.Workspace;

public sealed class WorkspaceTextTests
{
    [Fact]
    public void A_macro_fills_its_placeholders_and_blanks_the_unknown_ones()
    {
        var values = new Dictionary<string, string?> { ["customer.first_name"] = "Kari", ["order.number"] = "10234", ["agent.first_name"] = null };
        Assert.Equal("Hei Kari, ordre 10234. Hilsen . ",
            Macro.Render("Hei {{ customer.first_name }}, ordre {{order.number}}. Hilsen {{agent.first_name}}{{unknown.thing}}. {{x}}", values));
        Assert.Equal("Kari", Macro.FirstName("Kari Nordmann"));
    }

    [Fact]
    public void The_seeded_macros_speak_English_and_Norwegian_with_only_known_placeholders()
    {
        var macros = Macro.Defaults();
        Assert.Contains(macros, m => m.Language == "en");
        Assert.Contains(macros, m => m.Language == "nb");
        var everything = Macro.Placeholders.ToDictionary(p => p, p => (string?)"X");
        Assert.All(macros, m => Assert.DoesNotContain("{{", m.Render(everything), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JAVASCRIPT:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:msgbox")]
    [InlineData("/relative/path")]
    [InlineData("http://")]
    public void Only_absolute_web_addresses_become_links(string candidate) => Assert.Null(LinkText.SafeHref(candidate));

    [Fact]
    public void Links_are_found_in_text_and_trailing_punctuation_stays_text()
    {
        var parts = LinkText.Split("See https://shop.example/p?id=1&x=2. Or javascript:alert(1) <b>bold</b>");
        Assert.Equal(
            [
                new TextPart("See ", null),
                new TextPart("https://shop.example/p?id=1&x=2", "https://shop.example/p?id=1&x=2"),
                new TextPart(". Or javascript:alert(1) <b>bold</b>", null),
            ],
            parts);
    }

    [Theory]
    [InlineData("/inbox?status=open", "/inbox?status=open")]
    [InlineData("//evil.example", "/inbox")]
    [InlineData("/\\evil.example", "/inbox")]
    [InlineData("https://evil.example", "/inbox")]
    [InlineData(null, "/inbox")]
    public void After_signing_in_only_local_addresses_are_followed(string? returnUrl, string expected) =>
        Assert.Equal(expected, AccountApi.LocalUrl(returnUrl));

    [Fact]
    public void Every_interface_text_has_a_Norwegian_translation()
    {
        var resources = new System.Resources.ResourceManager(typeof(MemberCare.Resources.Ui));
        var english = resources.GetResourceSet(System.Globalization.CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        var norwegian = resources.GetResourceSet(new System.Globalization.CultureInfo("nb"), createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        Assert.True(english.Count > 100);
        Assert.Empty(english.Keys.Except(norwegian.Keys));
        Assert.Equal("Innboks", norwegian["Inbox"]);
        Assert.All(english.Keys.Where(k => english[k].Contains("{0}", StringComparison.Ordinal)),
            k => Assert.Contains("{0}", norwegian[k], StringComparison.Ordinal));
    }

    [Fact]
    public void One_time_passwords_are_long_and_differ()
    {
        var a = StaffDirectory.OneTimePassword();
        Assert.Equal(24, a.Length);
        Assert.NotEqual(a, StaffDirectory.OneTimePassword());
    }
}
