using MemberCare.Domain.Spikes;
using MemberCare.Features.Spikes;

namespace MemberCare.Tests.Spikes;

public sealed class SignatureKeysTests
{
    [Fact]
    public void A_complaint_about_a_one_line_order_counts_under_its_SKU_supplier_carrier_and_warehouse()
    {
        var order = new OrderFacts("10234", "PostNord", "Oslo-2", [new OrderLineFacts("TS-104", "Nordic Knit AS")]);
        var keys = SignatureKeys.For("damaged_item", "it came torn", """{"orderNumbers":["10234"],"skus":[]}""", [order], textClusters: false);
        Assert.Equal(
            ["damaged_item", "damaged_item|sku:TS-104", "damaged_item|supplier:nordic knit as", "damaged_item|carrier:postnord", "damaged_item|warehouse:oslo-2"],
            keys.Select(k => k.Signature));
    }

    [Fact]
    public void A_website_complaint_counts_under_the_page_area_its_words_name()
    {
        var keys = SignatureKeys.For("website_app", "Jeg får ikke logget inn, og kassen henger", null, [], textClusters: false);
        Assert.Contains(keys, k => k is { Kind: SignatureKind.SiteArea, Signature: "website_app|area:login" });
        Assert.Contains(keys, k => k is { Kind: SignatureKind.SiteArea, Signature: "website_app|area:checkout" });
    }

    [Fact]
    public void Near_identical_texts_share_a_band_key_and_unrelated_texts_do_not()
    {
        var a = TextSketch.BandKeys("the discount code SUMMER20 does not work at checkout it says invalid");
        var b = TextSketch.BandKeys("hi the discount code SUMMER25 does not work at checkout it says invalid");
        var c = TextSketch.BandKeys("my parcel has been stuck in transit for a week where is it");
        Assert.NotEmpty(a.Intersect(b));
        Assert.Empty(a.Intersect(c));
        Assert.Empty(TextSketch.BandKeys("broken zip"));
    }

    [Theory]
    [InlineData(0.05, 5)]
    [InlineData(1.5, 11)]
    [InlineData(100, 152)]
    public void The_alert_level_is_the_smallest_count_whose_Poisson_tail_is_below_the_significance(double rate, int level)
    {
        Assert.Equal(level, SpikeRule.Default.AlertLevel(rate, dismissedLevel: 0));
        Assert.True(PoissonTail.AtLeast(level, rate) <= 1e-6);
        Assert.True(level == SpikeRule.Default.MinCount || PoissonTail.AtLeast(level - 1, rate) > 1e-6);
    }
}
