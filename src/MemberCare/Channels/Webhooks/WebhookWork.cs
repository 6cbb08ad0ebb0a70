using MemberCare.Domain.Storage;
using MemberCare.Features.Intake;

namespace MemberCare.Channels.Webhooks;

/// <summary>
/// What a verified, parsed delivery asks for: customer messages for intake, and changes to the shop's records
/// that commit in the same transaction as the delivery row. <see cref="Apply"/> returns what it did, for the log.
/// </summary>
public sealed record WebhookWork(string Outcome, IReadOnlyList<InboundMessage> Messages, Func<MemberCareDb, DateTimeOffset, CancellationToken, Task<string>>? Apply = null);
