using MemberCare.Domain.Conversations;
using MemberCare.Features.Demo;

namespace MemberCare.Tests.Demo;

public sealed class DemoScriptTests
{
    private const string Thread = """
        === damaged_item en negative
        channels: email chat
        order: delivered
        product: WOOL-COAT-CML
        subject: Coat {order}
        customer: The coat is torn.

        Photos attached.
        agent: Sorry, {name}!
        note: Warehouse, please check.
        customer: Thanks.
        agent: A new one is on its way.
        """;

    [Fact]
    public void A_script_reads_its_settings_and_multi_line_messages()
    {
        var script = Assert.Single(DemoScripts.Parse(Thread));

        Assert.Equal(("damaged_item", "en", "negative", "normal"), (script.Concern, script.Language, script.Sentiment, script.Urgency));
        Assert.Equal([MemberCare.Domain.Channel.Email, MemberCare.Domain.Channel.Chat], script.Channels);
        Assert.Equal(DemoOrderState.Delivered, script.Order);
        Assert.Equal(("WOOL-COAT", "CML"), (script.Products[0].Product.Family, script.Products[0].Colour!.Code));
        Assert.Equal("The coat is torn.\n\nPhotos attached.", script.Messages[0].Text);
        Assert.Equal(5, script.Messages.Count);
    }

    [Fact]
    public void A_conversation_has_seen_as_much_of_its_thread_as_its_status_says()
    {
        var script = Assert.Single(DemoScripts.Parse(Thread));

        Assert.Single(script.ThreadFor(ConversationStatus.New)!);
        Assert.Equal(4, script.ThreadFor(ConversationStatus.Open)!.Count);
        Assert.Equal(2, script.ThreadFor(ConversationStatus.WaitingOnCustomer)!.Count);
        Assert.Equal(3, script.ThreadFor(ConversationStatus.WaitingOnDepartment)!.Count);
        Assert.Equal(5, script.ThreadFor(ConversationStatus.Resolved)!.Count);
        Assert.Equal(5, script.ThreadFor(ConversationStatus.Closed)!.Count);
    }

    [Fact]
    public void A_thread_without_a_note_cannot_wait_on_a_department()
    {
        var script = Assert.Single(DemoScripts.Parse("=== praise en positive\nchannels: review\ncustomer: Lovely!\nagent: Thanks!"));

        Assert.Null(script.ThreadFor(ConversationStatus.WaitingOnDepartment));
        Assert.NotNull(script.ThreadFor(ConversationStatus.WaitingOnCustomer));
    }

    [Theory]
    [InlineData("=== praise en positive\nchannels: email\ncustomer: Hi {nickname}", "line 1: unknown placeholder {nickname}")]
    [InlineData("=== praise en positive\nchannels: email\ncustomer: My order {order}", "line 1: {order} needs an order")]
    [InlineData("=== praise en positive\nchannels: email\norder: placed\ncustomer: Tracking {tracking}", "line 1: {tracking} needs a shipped or delivered order")]
    [InlineData("=== praise en positive\nchannels: pigeon\ncustomer: Hi", "line 2: unknown channel 'pigeon'")]
    [InlineData("=== praise de positive\nchannels: email\ncustomer: Hallo", "line 1: unknown language 'de'")]
    [InlineData("=== praise en positive\nchannels: email\norder: delivered\nproduct: LIN-SHIRT-PUR\ncustomer: Hi", "line 4: LIN-SHIRT does not come in 'PUR'")]
    [InlineData("=== praise en positive\nchannels: email\nagent: Hello", "line 1: the scenario must start with a customer message")]
    public void A_broken_script_is_rejected_with_its_line_and_reason(string text, string reason)
    {
        var problem = Assert.Throws<InvalidDataException>(() => DemoScripts.Parse(text));
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_embedded_script_can_end_in_a_status_and_every_concern_has_both_languages()
    {
        var scripts = DemoScripts.All;

        Assert.True(scripts.Count >= 150, $"only {scripts.Count} scripts");
        Assert.All(scripts, s => Assert.InRange(s.Messages.Count, 1, 6));
        Assert.All(scripts.GroupBy(s => s.Concern), concern =>
        {
            Assert.True(concern.Count(s => s.Language == "en") >= 4, $"{concern.Key}: few English scripts");
            Assert.True(concern.Count(s => s.Language == "no") >= 4, $"{concern.Key}: few Norwegian scripts");
        });
    }

    [Fact]
    public void The_same_moment_plans_the_same_shop()
    {
        var now = new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

        static IReadOnlyList<string> Texts(DemoShop shop)
        {
            var customers = shop.CreateCustomers();
            var conversations = shop.CreateConversations(customers, shop.CreateOrders(customers));
            return [.. customers.Select(c => $"{c.Name} {c.Email} {c.Phone} {c.CreatedAt:O}"), .. conversations.SelectMany(c => c.Messages).Select(m => $"{m.CreatedAt:O} {m.Text}")];
        }

        Assert.Equal(Texts(DemoShop.Plan(now)), Texts(DemoShop.Plan(now)));
        Assert.NotEqual(Texts(DemoShop.Plan(now)), Texts(DemoShop.Plan(now.AddDays(1))));
    }
}
