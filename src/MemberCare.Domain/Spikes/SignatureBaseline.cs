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
/// What one signature usually counts per window, learned from every bucket since detection began, and the count of
/// its current and previous buckets. Stored, so every node tests against the same baseline.
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

    /// <summary>The exponentially weighted mean of closed buckets' counts, not yet corrected for its start at zero.</summary>
    public double Mean { get; private set; }

    public DateTimeOffset BucketStart { get; private set; }
    public int BucketCount { get; private set; }
    public int PreviousBucketCount { get; private set; }

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

    /// <summary>Counts one message at <paramref name="at"/>, closing the buckets that ended before it.</summary>
    public void Count(DateTimeOffset at, SpikeRule rule, DateTimeOffset observedSince)
    {
        var bucket = rule.BucketOf(at);
        if (bucket > BucketStart)
        {
            Close(bucket, rule, observedSince);
        }
        BucketCount++;
        if (at > LastSeenAt)
        {
            LastSeenAt = at.ToUniversalTime();
        }
    }

    /// <summary>
    /// The usual count per window. The mean starts at zero, so it is divided by the weight the observed buckets carry
    /// (as Adam corrects its moments); buckets before this signature's first message were observed and were zero.
    /// </summary>
    public double Rate(SpikeRule rule, DateTimeOffset observedSince)
    {
        var closed = (BucketStart - rule.BucketOf(observedSince)) / rule.Window;
        if (closed < 1)
        {
            return rule.MinRate;
        }
        var weight = 1 - Math.Pow(1 - rule.Smoothing, closed);
        return Math.Max(rule.MinRate, Mean / weight);
    }

    public int AlertLevel(SpikeRule rule, DateTimeOffset observedSince) => rule.AlertLevel(Rate(rule, observedSince), DismissedLevel);

    /// <summary>The most a window can hold now: the sliding window overlaps the current and the previous bucket only.</summary>
    public int UpperBoundOfWindow => BucketCount + PreviousBucketCount;

    public void RaiseThreshold(int dismissedCount) => DismissedLevel = Math.Max(DismissedLevel, dismissedCount);

    private void Close(DateTimeOffset bucket, SpikeRule rule, DateTimeOffset observedSince)
    {
        var a = rule.Smoothing;
        // A spike must not teach the baseline that spikes are normal: a closed bucket counts at most its alert level.
        var counted = Math.Min(BucketCount, AlertLevel(rule, observedSince));
        Mean = ((1 - a) * Mean) + (a * counted);
        var empty = (long)((bucket - BucketStart) / rule.Window) - 1;
        if (empty > 0)
        {
            Mean *= Math.Pow(1 - a, empty);
        }
        PreviousBucketCount = empty == 0 ? BucketCount : 0;
        BucketCount = 0;
        BucketStart = bucket;
    }

    internal sealed class Mapping : IEntityTypeConfiguration<SignatureBaseline>
    {
        public void Configure(EntityTypeBuilder<SignatureBaseline> baseline)
        {
            baseline.HasKey(b => b.Signature);
            baseline.Property(b => b.Signature).HasMaxLength(MaxSignatureLength);
            baseline.Property(b => b.Concern).HasMaxLength(40);
            baseline.Property(b => b.Label).HasMaxLength(MaxLabelLength);
            baseline.Ignore(b => b.UpperBoundOfWindow);
            baseline.HasIndex(b => b.LastSeenAt);
        }
    }
}
