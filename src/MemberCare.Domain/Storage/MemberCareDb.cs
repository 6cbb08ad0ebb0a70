using MemberCare.Domain.Channels;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Defects;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Departments;
using MemberCare.Domain.Orders;
using MemberCare.Domain.Routing;
using MemberCare.Domain.Spikes;
using MemberCare.Domain.Staff;
using MemberCare.Domain.Triage;
using MemberCare.Domain.Workspace;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MemberCare.Domain.Storage;

public sealed class MemberCareDb(DbContextOptions<MemberCareDb> options)
    : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerIdentity> CustomerIdentities => Set<CustomerIdentity>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<TriageCorrection> TriageCorrections => Set<TriageCorrection>();
    public DbSet<TriageModelRelease> TriageModelReleases => Set<TriageModelRelease>();
    public DbSet<TriageRetrain> TriageRetrains => Set<TriageRetrain>();
    public DbSet<TriageRetrainLease> TriageRetrainLeases => Set<TriageRetrainLease>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<ChannelHealth> ChannelHealth => Set<ChannelHealth>();
    public DbSet<ChannelSilence> ChannelSilences => Set<ChannelSilence>();
    public DbSet<Macro> Macros => Set<Macro>();
    public DbSet<StaffNotification> StaffNotifications => Set<StaffNotification>();
    public DbSet<Presence> Presences => Set<Presence>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<DeliveryTarget> DeliveryTargets => Set<DeliveryTarget>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<SignatureBaseline> SpikeBaselines => Set<SignatureBaseline>();
    public DbSet<SpikeBucket> SpikeBuckets => Set<SpikeBucket>();
    public DbSet<SpikeAlert> SpikeAlerts => Set<SpikeAlert>();
    public DbSet<SpikeAlertMessage> SpikeAlertMessages => Set<SpikeAlertMessage>();
    public DbSet<SpikeCursor> SpikeCursors => Set<SpikeCursor>();
    public DbSet<SpikeTextBand> SpikeTextBands => Set<SpikeTextBand>();
    public DbSet<SpikeGap> SpikeGaps => Set<SpikeGap>();
    public DbSet<Email.EmailHeader> EmailHeaders => Set<Email.EmailHeader>();
    public DbSet<Email.EmailAttachment> EmailAttachments => Set<Email.EmailAttachment>();
    public DbSet<Email.ImapImport> ImapImports => Set<Email.ImapImport>();
    public DbSet<ChannelSecret> ChannelSecrets => Set<ChannelSecret>();
    public DbSet<Reviews.Review> Reviews => Set<Reviews.Review>();
    public DbSet<Handoff> Handoffs => Set<Handoff>();
    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();
    public DbSet<RoutingState> RoutingState => Set<RoutingState>();
    public DbSet<ConversationRouting> ConversationRoutings => Set<ConversationRouting>();
    public DbSet<Defect> Defects => Set<Defect>();
    public DbSet<DefectLink> DefectLinks => Set<DefectLink>();
    public DbSet<DefectAction> DefectActions => Set<DefectAction>();
    public DbSet<RecoveryTask> RecoveryTasks => Set<RecoveryTask>();
    public DbSet<LessonAcknowledgement> LessonAcknowledgements => Set<LessonAcknowledgement>();
    public DbSet<BriefingMailing> BriefingMailings => Set<BriefingMailing>();

    /// <summary>Pinned, so the schema does not follow whatever Identity's options say at design time.</summary>
    protected override Version SchemaVersion => IdentitySchemaVersions.Version2;

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        if (IsSqlite)
        {
            // SQLite has no date or decimal type; stored as TEXT they neither sort nor sum in SQL.
            // Times are always UTC here, so the binary form orders correctly.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<decimal>().HaveConversion<SqliteMoneyConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        var modelBuilder = builder;
        modelBuilder.Entity<Customer>(customer =>
        {
            customer.Property(c => c.Name).HasMaxLength(200);
            customer.Property(c => c.Email).HasMaxLength(320);
            customer.Property(c => c.Phone).HasMaxLength(40);
            customer.Property(c => c.LifetimeValue).HasPrecision(14, 2);
            customer.HasIndex(c => c.Email);
            customer.HasIndex(c => c.ShopId).IsUnique();
            customer.HasMany(c => c.Identities).WithOne().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<CustomerIdentity>(identity =>
        {
            identity.Property(i => i.Handle).HasMaxLength(320);
            identity.HasIndex(i => new { i.Channel, i.Handle }).IsUnique();
        });

        modelBuilder.Entity<Order>(order =>
        {
            order.Property(o => o.Number).HasMaxLength(64);
            order.Property(o => o.Currency).HasMaxLength(3);
            order.Property(o => o.Carrier).HasMaxLength(100);
            order.Property(o => o.Warehouse).HasMaxLength(100);
            order.Ignore(o => o.Total);
            order.HasIndex(o => o.Number).IsUnique();
            order.HasIndex(o => o.ShopId).IsUnique();
            order.Property(o => o.RefundedAmount).HasPrecision(14, 2);
            order.HasIndex(o => new { o.CustomerId, o.PlacedAt });
            order.HasOne<Customer>().WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.Cascade);
            order.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<OrderLine>(line =>
        {
            line.Property(l => l.Sku).HasMaxLength(64);
            line.Property(l => l.ProductName).HasMaxLength(200);
            line.Property(l => l.Size).HasMaxLength(32);
            line.Property(l => l.Colour).HasMaxLength(64);
            line.Property(l => l.Supplier).HasMaxLength(200);
            line.Property(l => l.UnitPrice).HasPrecision(14, 2);
            line.HasIndex(l => l.Sku);
        });

        modelBuilder.Entity<Conversation>(conversation =>
        {
            conversation.Property(c => c.ThreadKey).HasMaxLength(200);
            conversation.Property(c => c.Subject).HasMaxLength(500);
            conversation.Property(c => c.AssigneeId).HasMaxLength(64);
            conversation.Property(c => c.OrderNumber).HasMaxLength(64);
            conversation.Property(c => c.ConcernType).HasMaxLength(40);
            conversation.Property(c => c.Sentiment).HasMaxLength(16);
            conversation.Property(c => c.Language).HasMaxLength(16);
            conversation.Property(c => c.Urgency).HasMaxLength(16);
            conversation.Property(c => c.LastMessagePreview).HasMaxLength(200);
            conversation.HasOne(c => c.Customer).WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
            conversation.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
            conversation.HasIndex(c => new { c.CustomerId, c.Channel, c.Status });
            conversation.HasIndex(c => new { c.UpdatedAt, c.Id });
            conversation.HasIndex(c => new { c.Status, c.UpdatedAt });
            // Computed by the database so that every writer (intake, the API, imports) keeps them right.
            conversation.Property(c => c.SlaDueAt).HasComputedColumnSql(
                "CASE WHEN \"Status\" IN ('WaitingOnCustomer', 'Resolved', 'Closed') THEN NULL " +
                "WHEN \"FirstResponseAt\" IS NULL THEN \"FirstResponseDueAt\" ELSE \"ResolutionDueAt\" END", stored: !IsSqlite);
            conversation.Property(c => c.PriorityRank).HasComputedColumnSql(
                "CASE \"Priority\" WHEN 'Urgent' THEN 3 WHEN 'High' THEN 2 WHEN 'Normal' THEN 1 ELSE 0 END", stored: !IsSqlite);
            // The inbox's sorts, each a keyset over (key, id), and its commonest filters.
            conversation.HasIndex(c => new { c.LastMessageAt, c.Id });
            conversation.HasIndex(c => new { c.SlaDueAt, c.Id });
            conversation.HasIndex(c => new { c.PriorityRank, c.LastMessageAt, c.Id });
            conversation.HasIndex(c => new { c.Status, c.LastMessageAt, c.Id });
            conversation.HasIndex(c => new { c.AssigneeId, c.LastMessageAt, c.Id });
            conversation.HasIndex(c => new { c.AssigneeId, c.SlaDueAt, c.Id });
        });

        modelBuilder.Entity<Message>(message =>
        {
            message.Property(m => m.ExternalId).HasMaxLength(256);
            message.Property(m => m.AuthorName).HasMaxLength(200);
            // The idempotency guarantee: a unique index, so that concurrent duplicates lose at the database.
            message.HasIndex(m => new { m.Channel, m.ExternalId }).IsUnique();
            message.HasIndex(m => new { m.ConversationId, m.CreatedAt });
            message.Property(m => m.Concern).HasMaxLength(40);
            message.Property(m => m.Sentiment).HasMaxLength(16);
            message.Property(m => m.Language).HasMaxLength(16);
            message.Property(m => m.Urgency).HasMaxLength(16);
            message.Property(m => m.Department).HasMaxLength(40);
            message.Property(m => m.TriageModelVersion).HasMaxLength(64);
            message.Ignore(m => m.AwaitsTriage);
            // Only the messages that wait for triage are in this index, so the backfill's poll stays cheap
            // however many messages are stored. The filter is SQL that SQLite and PostgreSQL both read.
            message.HasIndex(m => m.Id, "IX_Messages_AwaitingTriage")
                .HasFilter("\"TriagedAt\" IS NULL AND \"Direction\" = 'Inbound'");
        });

        modelBuilder.Entity<TriageCorrection>(correction =>
        {
            correction.Property(c => c.Concern).HasMaxLength(40);
            correction.Property(c => c.Sentiment).HasMaxLength(16);
            correction.Property(c => c.Language).HasMaxLength(16);
            correction.Property(c => c.PreviousConcern).HasMaxLength(40);
            correction.Property(c => c.PreviousSentiment).HasMaxLength(16);
            correction.Property(c => c.PreviousLanguage).HasMaxLength(16);
            correction.Property(c => c.CorrectedBy).HasMaxLength(200);
            correction.HasOne<Message>().WithMany().HasForeignKey(c => c.MessageId).OnDelete(DeleteBehavior.Cascade);
            correction.HasIndex(c => new { c.CorrectedAt, c.Id });
            correction.HasIndex(c => c.MessageId);
        });

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.Property(d => d.DeliveryKey).HasMaxLength(WebhookDelivery.MaxKeyLength);
            delivery.Property(d => d.Topic).HasMaxLength(64);
            delivery.Property(d => d.Outcome).HasMaxLength(WebhookDelivery.MaxOutcomeLength);
            // The idempotency guarantee for deliveries, as (channel, external_id) is for messages.
            delivery.HasIndex(d => new { d.Source, d.DeliveryKey }).IsUnique();
            delivery.HasIndex(d => d.ReceivedAt);
        });

        modelBuilder.Entity<ChannelHealth>(health =>
        {
            health.HasKey(h => h.Source);
            health.Property(h => h.LastFailure).HasMaxLength(300);
        });

        modelBuilder.Entity<Department>(department =>
        {
            department.Property(d => d.Key).HasMaxLength(40);
            department.Property(d => d.Name).HasMaxLength(100);
            department.Property(d => d.TimeZone).HasMaxLength(64);
            department.HasIndex(d => d.Key).IsUnique();
        });

        modelBuilder.Entity<StaffUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(StaffUser.MaxDisplayName);
            user.Property(u => u.Culture).HasMaxLength(8);
            user.Property(u => u.DepartmentKey).HasMaxLength(40);
            user.Ignore(u => u.FirstName);
        });

        modelBuilder.Entity<Macro>(macro =>
        {
            macro.Property(m => m.Name).HasMaxLength(100);
            macro.Property(m => m.Language).HasMaxLength(8);
            macro.Property(m => m.Body).HasMaxLength(Macro.MaxBody);
            macro.HasIndex(m => new { m.Language, m.Name }).IsUnique();
        });

        modelBuilder.Entity<StaffNotification>(notification =>
        {
            notification.Property(n => n.UserId).HasMaxLength(64);
            notification.Property(n => n.FromName).HasMaxLength(StaffUser.MaxDisplayName);
            notification.Property(n => n.Text).HasMaxLength(200);
            notification.HasIndex(n => new { n.UserId, n.ReadAt, n.Id });
            notification.HasOne<Conversation>().WithMany().HasForeignKey(n => n.ConversationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Presence>(presence =>
        {
            presence.HasKey(p => new { p.ConversationId, p.UserId });
            presence.Property(p => p.UserId).HasMaxLength(64);
            presence.Property(p => p.DisplayName).HasMaxLength(StaffUser.MaxDisplayName);
            presence.HasIndex(p => p.ExpiresAt);
        });

        modelBuilder.Entity<SavedView>(view =>
        {
            view.Property(v => v.UserId).HasMaxLength(64);
            view.Property(v => v.Name).HasMaxLength(60);
            view.Property(v => v.Query).HasMaxLength(1000);
            view.HasIndex(v => new { v.UserId, v.Name }).IsUnique();
        });

        // Newer features keep their mapping beside their entities, one IEntityTypeConfiguration each.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MemberCareDb).Assembly);
    }

    private sealed class SqliteMoneyConverter() : ValueConverter<decimal, double>(
        value => (double)value,
        stored => Math.Round((decimal)stored, 4));
}
