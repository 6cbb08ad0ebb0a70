using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Spikes;

public enum SignatureKind
{
    Concern,
    Sku,
    Supplier,
    Carrier,
    Warehouse,
    SiteArea,
    Text,
}

/// <summary>
/// What one signature usually counts per window, learned from every closed window since detection began. Stored, so
/// every node tests against the same baseline. A signature without a row has counted nothing worth learning (a text
/// band seen once in a window), which the rule reads as the minimum rate.
/// </summary>
public sealed class SignatureBaseline
{
    public const int MaxSignatureLength = 200;
    public const int MaxLabelLength = 200;

    private SignatureBaseline()
    {
    }

    public string Signature { get; private set; } = "";
    public SignatureKind Kind { get; private set; }
    public string Concern { get; private set; } = "";

    /// <summary>How people read the signature: "damaged_item · SKU TS-104" or a cluster's sample words.</summary>
    public string Label { get; private set; } = "";

    /// <summary>The exponentially weighted mean of closed windows' counts, not yet corrected for its start at zero.</summary>
    public double Mean { get; private set; }

    /// <summary>The mean holds every window that started before this; later ones it has not seen counted nothing.</summary>
    public DateTimeOffset BucketStart { get; private set; }

    /// <summary>The count of the highest alert a lead dismissed; the signature alerts again only above it.</summary>
    public int DismissedLevel { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    public static SignatureBaseline Start(string signature, SignatureKind kind, string concern, string label, DateTimeOffset bucketStart)
    {
        if (string.IsNullOrWhiteSpace(signature) || signature.Length > MaxSignatureLength)
        {
            throw new ArgumentException($"A signature is 1 to {MaxSignatureLength} characters.", nameof(signature));
        }
        return new SignatureBaseline
        {
            Signature = signature,
            Kind = kind,
            Concern = concern,
            Label = label.Length > MaxLabelLength ? label[..MaxLabelLength] : label,
            BucketStart = bucketStart.ToUniversalTime(),
            LastSeenAt = bucketStart.ToUniversalTime(),
        };
    }

    /// <summary>
    /// The usual count per window once windows before <paramref name="closedThrough"/> are closed. The mean starts at
    /// zero, so it is divided by the weight the observed windows carry (as Adam corrects its moments); windows before
    /// this signature's first message were observed and were zero, and so were closed windows it was absent from.
    /// </summary>
    public double Rate(SpikeRule rule, DateTimeOffset observedSince, DateTimeOffset closedThrough) =>
        rule.Rate(Mean * Math.Pow(1 - rule.Smoothing, Math.Max(0, (closedThrough - BucketStart) / rule.Window)), observedSince, closedThrough);

    public int AlertLevel(SpikeRule rule, DateTimeOffset observedSince, DateTimeOffset closedThrough) =>
        rule.AlertLevel(Rate(rule, observedSince, closedThrough), DismissedLevel);

    /// <summary>
    /// Folds the window starting at <paramref name="bucket"/>, which counted <paramref name="count"/> messages. After the
    /// warm-up a spike must not teach the baseline that spikes are normal, so a window counts at most its alert level;
    /// during the warm-up (<paramref name="learning"/>) nothing alerts and every count is taken as it is, or a busy
    /// signature would start from the minimum rate and need weeks to climb to its real one.
    /// </summary>
    public void Close(DateTimeOffset bucket, int count, SpikeRule rule, DateTimeOffset observedSince, bool learning)
    {
        if (bucket < BucketStart || bucket < rule.FirstFullWindow(observedSince))
        {
            return;
        }
        var counted = learning ? count : Math.Min(count, AlertLevel(rule, observedSince, bucket));
        var a = rule.Smoothing;
        Mean = (Mean * Math.Pow(1 - a, (bucket - BucketStart) / rule.Window) * (1 - a)) + (a * counted);
        BucketStart = (bucket + rule.Window).ToUniversalTime();
        if (count > 0 && bucket + rule.Window > LastSeenAt)
        {
            LastSeenAt = (bucket + rule.Window).ToUniversalTime();
        }
    }

    public void RaiseThreshold(int dismissedCount) => DismissedLevel = Math.Max(DismissedLevel, dismissedCount);

    internal sealed class Mapping : IEntityTypeConfiguration<SignatureBaseline>
    {
        public void Configure(EntityTypeBuilder<SignatureBaseline> baseline)
        {
            baseline.HasKey(b => b.Signature);
            baseline.Property(b => b.Signature).HasMaxLength(MaxSignatureLength);
            baseline.Property(b => b.Concern).HasMaxLength(40);
            baseline.Property(b => b.Label).HasMaxLength(MaxLabelLength);
            baseline.HasIndex(b => b.LastSeenAt);
        }
    }
}
