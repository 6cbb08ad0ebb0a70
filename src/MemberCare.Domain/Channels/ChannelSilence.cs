using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Channels;

/// <summary>
/// One silence episode of a channel: it had traffic, then none for longer than its threshold in business hours.
/// The episode is keyed by the channel and the time of its last event, unique in the database, so when several
/// nodes notice the same silence only the one whose insert wins raises the alert.
/// </summary>
public sealed class ChannelSilence
{
    private ChannelSilence()
    {
    }

    public long Id { get; private set; }
    public WebhookSource Source { get; private set; }

    /// <summary>The channel's last event when the silence was noticed; traffic after it ends the episode.</summary>
    public DateTimeOffset SilentSince { get; private set; }
    public DateTimeOffset RaisedAt { get; private set; }
    public DateTimeOffset? ClearedAt { get; private set; }

    public bool IsOpen => ClearedAt is null;

    public static ChannelSilence Raised(WebhookSource source, DateTimeOffset silentSince, DateTimeOffset at) => new()
    {
        Source = source,
        SilentSince = silentSince.ToUniversalTime(),
        RaisedAt = at.ToUniversalTime(),
    };

    public void Clear(DateTimeOffset at) => ClearedAt ??= at.ToUniversalTime();

    internal sealed class Mapping : IEntityTypeConfiguration<ChannelSilence>
    {
        public void Configure(EntityTypeBuilder<ChannelSilence> silence)
        {
            silence.ToTable("ChannelSilences");
            silence.HasIndex(s => new { s.Source, s.SilentSince }).IsUnique();
            silence.HasIndex(s => s.ClearedAt);
        }
    }
}
