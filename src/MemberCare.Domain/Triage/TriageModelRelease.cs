using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Triage;

/// <summary>
/// A model set a retrain promoted, stored in the database so every node can load it; the id is the version
/// nodes poll, so a node swaps in the highest id it has not loaded yet.
/// </summary>
public sealed class TriageModelRelease
{
    private TriageModelRelease()
    {
    }

    public long Id { get; private set; }
    public string Version { get; private set; } = "";
    public long RetrainId { get; private set; }
    public byte[] Concern { get; private set; } = [];
    public byte[] Sentiment { get; private set; } = [];
    public byte[] Language { get; private set; } = [];
    public string Manifest { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static TriageModelRelease Of(
        string version, long retrainId, (byte[] Concern, byte[] Sentiment, byte[] Language) models, string manifest, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return new TriageModelRelease
        {
            Version = version,
            RetrainId = retrainId,
            Concern = models.Concern,
            Sentiment = models.Sentiment,
            Language = models.Language,
            Manifest = manifest,
            CreatedAt = at.ToUniversalTime(),
        };
    }

    internal sealed class Mapping : IEntityTypeConfiguration<TriageModelRelease>
    {
        public void Configure(EntityTypeBuilder<TriageModelRelease> release)
        {
            release.Property(r => r.Version).HasMaxLength(64);
            release.HasIndex(r => r.Version).IsUnique();
        }
    }
}
