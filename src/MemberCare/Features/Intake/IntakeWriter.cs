using MemberCare.Domain.Storage;
using MemberCare.Features.Routing;
using MemberCare.Features.Triage;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Intake;

public sealed class IntakeOptions
{
    /// <summary>How many messages one commit may carry. Larger batches mean fewer fsyncs under load.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 256;

    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Times each stage of intake for the load generator (<see cref="IntakeStages"/>); off in production.</summary>
    public bool StageTiming { get; set; }
}

/// <summary>
/// Stores inbound messages with group commit: callers queue their message and wait; one writer takes
/// everything queued, threads each message, and commits them together, so a burst costs one fsync per
/// batch instead of one per message. A caller's task completes only after its message is committed.
/// </summary>
public sealed class IntakeWriter(
    IDbContextFactory<MemberCareDb> dbFactory,
    TimeProvider time,
    MessageTriager triager,
    ConversationRouter router,
    IOptions<IntakeOptions> options,
    ILogger<IntakeWriter> logger,
    Workspace.IWorkspaceFeed feed,
    IntakeStages stages) : BackgroundService
{
    private readonly System.Threading.Channels.Channel<Pending> _queue = System.Threading.Channels.Channel.CreateBounded<Pending>(
        new System.Threading.Channels.BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait });

    public async Task<IntakeOutcome> SubmitAsync(InboundMessage message, CancellationToken ct)
    {
        // The models read the text on the caller's thread, so the one writer only adds the sender's context.
        var started = stages.Start();
        var triage = ReadText(message);
        stages.Add(IntakeStage.ReadText, started);
        var pending = new Pending(message, triage, new TaskCompletionSource<IntakeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously), stages.Start());
        await _queue.Writer.WriteAsync(pending, ct);
        // Once queued the message may be committed; the caller's cancellation no longer changes that.
        return await pending.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.Value.MaxBatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.MaxBatchSize && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }
                await CommitBatchAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetException(new IntakeUnavailableException("MemberCare is shutting down."));
            }
        }
    }

    private async Task CommitBatchAsync(List<Pending> batch)
    {
        var started = stages.Start();
        if (stages.Enabled)
        {
            foreach (var pending in batch)
            {
                stages.Add(IntakeStage.QueueWait, pending.QueuedAt);
            }
            stages.AddBatch(batch.Count);
        }
        await WriteBatchAsync(batch);
        stages.Add(IntakeStage.Batch, started);
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var outcomes = new IntakeOutcome?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            if (!await TryThreadTogetherAsync(db, batch, outcomes))
            {
                await ThreadOneByOneAsync(db, batch, outcomes, failures);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "A batch of {Count} inbound messages could not be committed", batch.Count);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(new IntakeUnavailableException("The message could not be stored; it was not accepted.", ex));
            }
            return;
        }
        var publishing = stages.Start();
        await feed.PublishAsync([.. outcomes.Where(o => o is { Created: true }).Select(o => o!.ConversationId).Distinct()
            .Select(id => new Workspace.WorkspaceEvent(Workspace.WorkspaceEventKind.MessageAdded, id))]);

        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } outcome)
            {
                batch[i].Done.TrySetResult(outcome);
            }
            else
            {
                batch[i].Done.TrySetException(new IntakeUnavailableException("The message could not be stored; it was not accepted.", failures[i]));
            }
        }
        stages.Add(IntakeStage.Publish, publishing);
    }

    /// <summary>
    /// The fast path: the whole batch in one transaction, written with prepared commands. It stands or falls
    /// as one, so it runs without a savepoint, which would make SQLite journal every page the batch touches.
    /// </summary>
    private async Task<bool> TryThreadTogetherAsync(MemberCareDb db, List<Pending> batch, IntakeOutcome?[] outcomes)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        IntakeOutcome[] threaded;
        try
        {
            threaded = await ThreadAsync(db, batch);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or ArgumentException)
        {
            // Another node stored one of these messages or identities first, or a message breaks a rule.
            await transaction.RollbackAsync();
            logger.LogInformation(ex, "A batch of {Count} inbound messages is threaded one by one", batch.Count);
            return false;
        }
        var committing = stages.Start();
        await transaction.CommitAsync();
        stages.Add(IntakeStage.Commit, committing);
        threaded.CopyTo(outcomes, 0);
        return true;
    }

    /// <summary>
    /// Threads each message behind its own savepoint, so the message at fault fails alone and a message
    /// another node stored meanwhile is found and answered with its ids.
    /// </summary>
    private async Task ThreadOneByOneAsync(MemberCareDb db, List<Pending> batch, IntakeOutcome?[] outcomes, Exception?[] failures)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                outcomes[i] = await WriteOneAsync(db, transaction, batch[i]);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or ArgumentException)
            {
                // This message was rolled back to its savepoint; the rest of the batch goes on.
                failures[i] = ex;
                logger.LogError(ex, "Could not store message {Channel}/{ExternalId}", batch[i].Message.Channel, batch[i].Message.ExternalId);
            }
        }
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Threads one message. A unique index on (channel, external id) is the guard against duplicates; when
    /// another node wins the race, the retry finds its row and answers with the same ids.
    /// </summary>
    private async Task<IntakeOutcome> WriteOneAsync(MemberCareDb db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Pending pending)
    {
        const string Savepoint = "message";
        for (var attempt = 1; ; attempt++)
        {
            await transaction.CreateSavepointAsync(Savepoint);
            try
            {
                var outcome = (await ThreadAsync(db, [pending]))[0];
                await transaction.ReleaseSavepointAsync(Savepoint);
                return outcome;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or ArgumentException)
            {
                await transaction.RollbackToSavepointAsync(Savepoint);
                if (ex is DbUpdateException update && update.IsUniqueViolation() && attempt < 3)
                {
                    continue;
                }
                throw;
            }
        }
    }

    /// <summary>
    /// Threads messages, completes the triage of each new one with its sender's context (the batch read how
    /// often each customer wrote lately), then writes them, so each message row is written once, triaged.
    /// </summary>
    private async Task<IntakeOutcome[]> ThreadAsync(MemberCareDb db, List<Pending> pendings)
    {
        var now = time.GetUtcNow();
        var threading = new BatchThreading(db, [.. pendings.Select(p => p.Message)], now, now - triager.RecentContactsWindow, stages);
        await threading.ThreadAsync();
        var started = stages.Start();
        foreach (var made in threading.Created)
        {
            Triage(made, threading.RecentContactsBefore(made), pendings[made.Index].Triage);
        }
        stages.Add(IntakeStage.Triage, started);
        started = stages.Start();
        var outcomes = await threading.StoreAsync();
        stages.Add(IntakeStage.Write, started);
        started = stages.Start();
        await RouteAsync(db, threading, outcomes);
        stages.Add(IntakeStage.Route, started);
        return outcomes;
    }

    /// <summary>
    /// Runs the routing rules over the batch's triaged messages inside the batch's transaction, once their rows
    /// have ids: a hand-off and its outbox row commit with the message or not at all. Without enabled rules this
    /// costs nothing; an untriaged message is routed by the backfill when it is triaged.
    /// </summary>
    private async Task RouteAsync(MemberCareDb db, BatchThreading threading, IntakeOutcome[] outcomes)
    {
        if (!router.HasRules)
        {
            return;
        }
        var routed = threading.Created
            .Where(m => m.Message.Concern is not null && router.MayMatch(m.Message, m.Conversation, m.Customer.Tier))
            .ToList();
        if (routed.Count == 0)
        {
            return;
        }
        var batch = await ConversationRouter.LoadAsync(db,
            [.. routed.Select(m => outcomes[m.Index].ConversationId).Distinct()],
            [.. routed.Select(m => outcomes[m.Index].MessageId)],
            CancellationToken.None);
        foreach (var made in routed)
        {
            var outcome = outcomes[made.Index];
            await router.RouteAsync(db, batch.Messages[outcome.MessageId], batch.Conversations[outcome.ConversationId], made.Customer.Tier, batch, CancellationToken.None);
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }

    /// <summary>Triage never blocks intake: without models, or when triage fails, the message is stored untriaged.</summary>
    private TriageResult? ReadText(InboundMessage message)
    {
        try
        {
            return triager.ReadText(message.TriageText ?? message.Text);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Triage failed for message {Channel}/{ExternalId}; it is stored untriaged", message.Channel, message.ExternalId);
            return null;
        }
    }

    private void Triage(BatchThreading.Threaded made, int recentContacts, TriageResult? fromText)
    {
        if (fromText is null)
        {
            return;
        }
        try
        {
            triager.Record(made.Message, made.Conversation, made.Customer.Tier, recentContacts, newest: true, fromText);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Triage failed for message {Channel}/{ExternalId}; it is stored untriaged", made.Message.Channel, made.Message.ExternalId);
        }
    }

    private sealed record Pending(InboundMessage Message, TriageResult? Triage, TaskCompletionSource<IntakeOutcome> Done, long QueuedAt);
}

/// <summary>The message was not stored, so it must not be acknowledged; the sender should retry.</summary>
public sealed class IntakeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
