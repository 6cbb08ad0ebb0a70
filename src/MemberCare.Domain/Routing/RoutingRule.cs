using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Routing;

/// <summary>
/// One routing rule: when all its conditions hold for a triaged message, its actions apply. Conditions and actions
/// are stored as JSON the routing feature reads and checks; rules run in <see cref="Position"/> order.
/// </summary>
public sealed class RoutingRule
{
    public const int MaxJsonLength = 16_000;

    private RoutingRule()
    {
    }

    public RoutingRule(string name, int position, bool enabled, bool stop, string conditions, string actions, DateTimeOffset at)
    {
        Change(name, position, enabled, stop, conditions, actions, at);
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public int Position { get; private set; }
    public bool Enabled { get; private set; }

    /// <summary>Whether later rules are skipped once this one matched.</summary>
    public bool Stop { get; private set; }

    public string Conditions { get; private set; } = "[]";
    public string Actions { get; private set; } = "[]";
    public DateTimeOffset UpdatedAt { get; private set; }

    public void Change(string name, int position, bool enabled, bool stop, string conditions, string actions, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
        {
            throw new ArgumentException("A rule's name is 1 to 100 characters.", nameof(name));
        }
        if (conditions.Length > MaxJsonLength || actions.Length > MaxJsonLength)
        {
            throw new ArgumentException("A rule's conditions and actions are at most 16,000 characters each.", nameof(conditions));
        }
        Name = name.Trim();
        Position = position;
        Enabled = enabled;
        Stop = stop;
        Conditions = conditions;
        Actions = actions;
        UpdatedAt = at.ToUniversalTime();
    }

    internal sealed class Mapping : IEntityTypeConfiguration<RoutingRule>
    {
        public void Configure(EntityTypeBuilder<RoutingRule> rule)
        {
            rule.Property(r => r.Name).HasMaxLength(100);
            rule.Property(r => r.Conditions).HasMaxLength(MaxJsonLength);
            rule.Property(r => r.Actions).HasMaxLength(MaxJsonLength);
            rule.HasIndex(r => new { r.Position, r.Id });
        }
    }
}

/// <summary>
/// One row whose version every node polls: a change to rules or departments bumps it, and each node then re-reads
/// them, so no node keeps routing by rules another node has changed.
/// </summary>
public sealed class RoutingState
{
    public const int SingletonId = 1;

    private RoutingState()
    {
    }

    public int Id { get; private set; }
    public long Version { get; private set; }

    /// <summary>When the default rule set was written; set once, so deleting every rule does not bring them back.</summary>
    public DateTimeOffset? DefaultsWrittenAt { get; private set; }

    internal sealed class Mapping : IEntityTypeConfiguration<RoutingState>
    {
        public void Configure(EntityTypeBuilder<RoutingState> state)
        {
            state.Property(s => s.Id).ValueGeneratedNever();
            state.HasData(new RoutingState { Id = SingletonId, Version = 1 });
        }
    }
}

/// <summary>What routing decided for a conversation besides hand-offs: the team it belongs to and its tags.</summary>
public sealed class ConversationRouting
{
    public const int MaxTagsLength = 500;

    private ConversationRouting()
    {
    }

    public ConversationRouting(long conversationId) => ConversationId = conversationId;

    public long ConversationId { get; private set; }
    public string? Team { get; private set; }

    /// <summary>Comma-separated, lower case, each once.</summary>
    public string Tags { get; private set; } = "";

    public DateTimeOffset? AutoRepliedAt { get; private set; }

    public IReadOnlyList<string> TagList => Tags.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public void AssignTeam(string team) => Team = team.Trim().ToLowerInvariant();

    public bool Tag(string tag)
    {
        var clean = tag.Trim().ToLowerInvariant().Replace(",", "", StringComparison.Ordinal);
        if (clean.Length == 0 || TagList.Contains(clean) || Tags.Length + clean.Length + 1 > MaxTagsLength)
        {
            return false;
        }
        Tags = Tags.Length == 0 ? clean : Tags + "," + clean;
        return true;
    }

    public void AutoReplied(DateTimeOffset at) => AutoRepliedAt = at.ToUniversalTime();

    internal sealed class Mapping : IEntityTypeConfiguration<ConversationRouting>
    {
        public void Configure(EntityTypeBuilder<ConversationRouting> routing)
        {
            routing.HasKey(r => r.ConversationId);
            routing.Property(r => r.Team).HasMaxLength(60);
            routing.Property(r => r.Tags).HasMaxLength(MaxTagsLength);
            routing.Ignore(r => r.TagList);
            routing.HasOne<Conversations.Conversation>().WithOne().HasForeignKey<ConversationRouting>(r => r.ConversationId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
