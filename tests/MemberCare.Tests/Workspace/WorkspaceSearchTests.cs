using MemberCare.Domain;
using MemberCare.Features.Conversations;
using MemberCare.Features.Search;
using MemberCare.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Workspace;

public sealed class WorkspaceSearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_finds_whole_words_or_typed_prefixes_newest_first_with_the_hit_marked()
    {
        await using var app = TestApp.Sqlite();
        var first = await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "Jeg fikk feil størrelse på linskjorta");
        var second = await Customers.WriteAsync(app, "i-1", "Ola Hansen", "Wrong size on my linen shirt, order 10234", channel: "instagram");
        await Customers.WriteAsync(app, "e-2", "Per Olsen", "Where is my parcel?");
        await app.Services.GetRequiredService<ConversationDesk>().ReplyAsync(first, "Agnes", "Vi sender riktig størrelse i dag", Ct);
        var search = app.Services.GetRequiredService<IMessageSearch>();

        Assert.Empty(await search.SearchAsync("størr", 10, Ct));
        var hits = await search.SearchAsync("størr*", 10, Ct);
        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.Equal(first, h.ConversationId));
        Assert.True(hits[0].MessageId > hits[1].MessageId);
        Assert.Contains(hits[0].Snippet, s => s.Hit && s.Text.Equals("størrelse", StringComparison.OrdinalIgnoreCase));

        var linen = Assert.Single(await search.SearchAsync("LINEN shirt", 10, Ct));
        Assert.Equal(second, linen.ConversationId);
        Assert.Equal(Channel.Instagram, linen.Channel);
        Assert.Equal("Ola Hansen", linen.CustomerName);
        Assert.Equal(["linen", "shirt"], linen.Snippet.Where(s => s.Hit).Select(s => s.Text.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("linen OR NOT * NEAR(")]
    [InlineData("'; DROP TABLE Messages; --")]
    [InlineData("   ")]
    public async Task Search_reads_what_an_agent_types_as_words_never_as_query_syntax(string typed)
    {
        await using var app = TestApp.Sqlite();
        await Customers.WriteAsync(app, "e-1", "Kari Nordmann", "linen shirt");
        var hits = await app.Services.GetRequiredService<IMessageSearch>().SearchAsync(typed, 10, Ct);
        Assert.True(hits.Count <= 1);
    }

    [Fact]
    public void Snippets_split_into_plain_and_marked_segments()
    {
        var segments = SearchTerms.Segments("a \u0002lin\u0003en <b>\u0002x\u0003");
        Assert.Equal(
            [new HighlightSegment("a ", false), new HighlightSegment("lin", true), new HighlightSegment("en <b>", false), new HighlightSegment("x", true)],
            segments);
        Assert.Equal(
            [new SearchTerm("linen", true), new SearchTerm("størrelse", false), new SearchTerm("10234", false)],
            SearchTerms.Parse("Linen* \"størrelse\" #10234 linen"));
    }
}
