using MemberCare.Domain;
using MemberCare.Domain.Customers;
using MemberCare.Features.Triage;

namespace MemberCare.Tests.Triage;

public sealed class UrgencyRulesTests
{
    private static Urgency Assess(string text, string concern, string sentiment, TriageContext? context = null) =>
        UrgencyRules.Assess(text, concern, sentiment, context ?? TriageContext.None);

    [Fact]
    public void A_neutral_question_is_normal() =>
        Assert.Equal(Urgency.Normal, Assess("Is this dress machine washable?", "product_question", "neutral"));

    [Fact]
    public void Praise_is_low() =>
        Assert.Equal(Urgency.Low, Assess("Love the dress, thank you!", "praise", "positive"));

    [Fact]
    public void Style_feedback_is_low() =>
        Assert.Equal(Urgency.Low, Assess("Wish it came in more colours", "style_feedback", "neutral"));

    [Fact]
    public void An_angry_customer_whose_order_is_late_is_high() =>
        Assert.Equal(Urgency.High, Assess("Where is my order?? Two weeks now!", "where_is_my_order", "negative"));

    [Fact]
    public void A_negative_review_of_the_fabric_is_normal() =>
        Assert.Equal(Urgency.Normal, Assess("The fabric pilled after one wash", "product_quality", "negative"));

    [Theory]
    [InlineData("I need the dress before the wedding on Saturday")]
    [InlineData("Can it arrive by Friday?")]
    [InlineData("I need it tomorrow for a party")]
    [InlineData("Will it come today?")]
    [InlineData("Jeg trenger kjolen i morgen")]
    [InlineData("Rekker den å komme før helgen?")]
    [InlineData("Den må være her innen fredag")]
    [InlineData("Trenger den før bryllupet")]
    public void A_deadline_raises_a_neutral_message_to_high(string text) =>
        Assert.Equal(Urgency.High, Assess(text, "where_is_my_order", "neutral"));

    [Theory]
    [InlineData("Please answer ASAP, my order is wrong")]
    [InlineData("URGENT: wrong item")]
    [InlineData("Det haster! Feil vare")]
    [InlineData("Svar snarest, takk")]
    public void Words_of_urgency_raise_a_neutral_message_two_levels(string text) =>
        Assert.Equal(Urgency.Urgent, Assess(text, "wrong_or_missing_item", "neutral"));

    [Fact]
    public void An_angry_customer_with_a_deadline_is_urgent() =>
        Assert.Equal(Urgency.Urgent, Assess("Still not here and I need it before the wedding on Saturday!", "where_is_my_order", "negative"));

    [Theory]
    [InlineData(CustomerTier.Gold)]
    [InlineData(CustomerTier.Vip)]
    public void A_gold_or_vip_customer_is_raised_one_level(CustomerTier tier) =>
        Assert.Equal(Urgency.High, Assess("When will my order arrive?", "where_is_my_order", "neutral", new TriageContext(tier)));

    [Theory]
    [InlineData(CustomerTier.Standard)]
    [InlineData(CustomerTier.Silver)]
    public void A_standard_or_silver_customer_is_not_raised(CustomerTier tier) =>
        Assert.Equal(Urgency.Normal, Assess("When will my order arrive?", "where_is_my_order", "neutral", new TriageContext(tier)));

    [Fact]
    public void A_customer_who_writes_again_and_again_is_raised_one_level()
    {
        Assert.Equal(Urgency.Normal, Assess("Any news?", "where_is_my_order", "neutral", new TriageContext(RecentContacts: 1)));
        Assert.Equal(Urgency.High, Assess("Any news?", "where_is_my_order", "neutral", new TriageContext(RecentContacts: 2)));
    }

    [Fact]
    public void Everything_together_stops_at_urgent() =>
        Assert.Equal(Urgency.Urgent, Assess("URGENT, I need it today", "where_is_my_order", "negative", new TriageContext(CustomerTier.Vip, 5)));

    [Fact]
    public void Praise_from_a_vip_is_normal() =>
        Assert.Equal(Urgency.Normal, Assess("Love it!", "praise", "positive", new TriageContext(CustomerTier.Vip)));

    [Fact]
    public void Time_words_in_a_product_review_are_not_deadlines() =>
        Assert.Equal(Urgency.Low, Assess("Wore it today and got compliments", "praise", "positive", new TriageContext(Channel: Channel.Review)));

    [Fact]
    public void A_review_from_the_same_words_on_chat_is_raised() =>
        Assert.Equal(Urgency.Normal, Assess("Wore it today and got compliments", "praise", "positive", new TriageContext(Channel: Channel.Chat)));
}
