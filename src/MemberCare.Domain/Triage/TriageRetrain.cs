using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Triage;

public enum RetrainOutcome
{
    Running,
    Promoted,
    Rejected,
    Failed,
}

/// <summary>One retrain attempt: who ran it, on how many corrections, the scores of both sets and the verdict.</summary>
public sealed class TriageRetrain
{
    public const int MaxReasonLength = 2000;

    private TriageRetrain()
    {
    }

    public long Id { get; private set; }
    public string Node { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public RetrainOutcome Outcome { get; private set; }
    public string? Reason { get; private set; }
    public int Corrections { get; private set; }
    public int NewCorrections { get; private set; }

    /// <summary>The newest correction the training read: the next retrain counts corrections after it as new.</summary>
    public long LastCorrectionId { get; private set; }

    public string? CurrentVersion { get; private set; }
    public string? CandidateVersion { get; private set; }

    /// <summary>JSON: model, corpus and macro-F1 of the set in use, on the held-out splits.</summary>
    public string? ScoresBefore { get; private set; }

    /// <summary>JSON: the same for the candidate, on the same held-out splits.</summary>
    public string? ScoresAfter { get; private set; }

    public static TriageRetrain Start(string node, int corrections, int newCorrections, long lastCorrectionId, string? currentVersion, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        return new TriageRetrain
        {
            Node = node,
            StartedAt = at.ToUniversalTime(),
            Outcome = RetrainOutcome.Running,
            Corrections = corrections,
            NewCorrections = newCorrections,
            LastCorrectionId = lastCorrectionId,
            CurrentVersion = currentVersion,
        };
    }

    public void Finish(RetrainOutcome outcome, string reason, string? candidateVersion, string? before, string? after, DateTimeOffset at)
    {
        if (outcome == RetrainOutcome.Running)
        {
            throw new ArgumentException("A finished retrain is promoted, rejected or failed.", nameof(outcome));
        }
        Outcome = outcome;
        Reason = reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
        CandidateVersion = candidateVersion;
        ScoresBefore = before;
        ScoresAfter = after;
        FinishedAt = at.ToUniversalTime();
    }

    internal sealed class Mapping : IEntityTypeConfiguration<TriageRetrain>
    {
        public void Configure(EntityTypeBuilder<TriageRetrain> retrain)
        {
            retrain.Property(r => r.Node).HasMaxLength(200);
            retrain.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(16);
            retrain.Property(r => r.Reason).HasMaxLength(MaxReasonLength);
            retrain.Property(r => r.CurrentVersion).HasMaxLength(64);
            retrain.Property(r => r.CandidateVersion).HasMaxLength(64);
            retrain.HasIndex(r => r.StartedAt);
        }
    }
}

/// <summary>
/// The single row that says which node may retrain, until when. A node claims it with one guarded UPDATE
/// (free or expired), so two nodes never train at once and a crashed node's claim lapses.
/// </summary>
public sealed class TriageRetrainLease
{
    public const string Name = "retrain";

    private TriageRetrainLease()
    {
    }

    public string Id { get; private set; } = Name;
    public string? Holder { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    internal sealed class Mapping : IEntityTypeConfiguration<TriageRetrainLease>
    {
        public void Configure(EntityTypeBuilder<TriageRetrainLease> lease)
        {
            lease.Property(l => l.Id).HasMaxLength(32);
            lease.Property(l => l.Holder).HasMaxLength(200);
            lease.HasData(new TriageRetrainLease { Id = Name, Holder = null, ExpiresAt = DateTimeOffset.UnixEpoch });
        }
    }
}
