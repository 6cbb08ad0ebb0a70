using MemberCare.Domain.Conversations;

namespace MemberCare.Features.Conversations;

public sealed record ConversationSummary(
    long Id,
    long CustomerId,
    string CustomerName,
    string Channel,
    string Status,
    string Priority,
    string? Subject,
    string? ConcernType,
    string? Sentiment,
    string? Language,
    string? OrderNumber,
    string? AssigneeId,
    int MessageCount,
    string? LastMessagePreview,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset LastMessageAt);

public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, string? NextCursor);

public sealed record ConversationDetail(
    ConversationSummary Conversation,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<string> AllowedStatuses,
    IReadOnlyList<MessageView> Messages,
    CustomerView Customer,
    IReadOnlyList<OrderView> Orders);

/// <summary>Delivery is sending, sent or failed for a reply that leaves through a platform's API (DeliveryError says why it failed); null otherwise.</summary>
public sealed record MessageView(long Id, string Direction, string Channel, string? ExternalId, string? AuthorName, string Text, DateTimeOffset SentAt, DateTimeOffset CreatedAt, MessageTriageView? Triage = null,
    string? Delivery = null, string? DeliveryError = null);

/// <summary>What triage said about an inbound message; Entities is the stored JSON object, TriagedAt null while it waits.</summary>
public sealed record MessageTriageView(
    string? Concern,
    double? Confidence,
    string? Sentiment,
    string? Language,
    string? Urgency,
    System.Text.Json.Nodes.JsonNode? Entities,
    string? Department,
    DateTimeOffset? TriagedAt,
    string? ModelVersion);

public sealed record CustomerView(long Id, string Name, string? Email, string? Phone, string Tier, decimal LifetimeValue, IReadOnlyList<IdentityView> Identities);

public sealed record IdentityView(string Channel, string Handle);

public sealed record OrderView(long Id, string Number, string Status, string Currency, decimal Total, DateTimeOffset PlacedAt, DateTimeOffset? ShippedAt, DateTimeOffset? DeliveredAt, string? Carrier, IReadOnlyList<OrderLineView> Lines);

public sealed record OrderLineView(string Sku, string ProductName, string? Size, string? Colour, string? Supplier, int Quantity, decimal UnitPrice);

public sealed record ConversationFilter(
    ConversationStatus? Status = null,
    MemberCare.Domain.Channel? Channel = null,
    long? CustomerId = null,
    DateTimeOffset? UpdatedSince = null,
    int Limit = 50,
    string? Cursor = null);

public sealed record WriteMessageRequest(string? Text, string? Author);

public sealed record ChangeStatusRequest(string? Status);
