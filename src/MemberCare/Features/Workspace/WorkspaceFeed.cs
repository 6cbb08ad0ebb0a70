using System.Text.Json;
using System.Text.Json.Serialization;
using MemberCare.Domain.Storage;
using MemberCare.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemberCare.Features.Workspace;

public enum WorkspaceEventKind
{
    MessageAdded,
    ConversationChanged,
    Presence,
    Notification,
}

/// <summary>Something the open screens may want to show: a new message, a changed case, who is looking, a mention.</summary>
public sealed record WorkspaceEvent(WorkspaceEventKind Kind, long ConversationId, string? UserId = null);

/// <summary>
/// The one real-time seam. Writers publish after they commit; screens subscribe. In one process the events go
/// straight to the subscribers; on PostgreSQL they go through LISTEN/NOTIFY so that every node hears every write.
/// Publishing never throws: a screen that misses an event catches up at its next refresh.
/// </summary>
public interface IWorkspaceFeed
{
    Task PublishAsync(IReadOnlyList<WorkspaceEvent> events, CancellationToken ct = default);

    IDisposable Subscribe(Func<WorkspaceEvent, Task> handler);
}

/// <summary>The subscribers of this process, shared by both feeds.</summary>
public sealed class FeedSubscribers(ILogger<FeedSubscribers> logger)
{
    private readonly Lock _lock = new();
    private Func<WorkspaceEvent, Task>[] _handlers = [];

    public IDisposable Add(Func<WorkspaceEvent, Task> handler)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers, handler];
        }
        return new Subscription(this, handler);
    }

    public void Deliver(IReadOnlyList<WorkspaceEvent> events)
    {
        var handlers = Volatile.Read(ref _handlers);
        foreach (var handler in handlers)
        {
            foreach (var e in events)
            {
                _ = DeliverOneAsync(handler, e);
            }
        }
    }

    private async Task DeliverOneAsync(Func<WorkspaceEvent, Task> handler, WorkspaceEvent e)
    {
        try
        {
            await handler(e);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A workspace subscriber failed on {Event}", e);
        }
    }

    private void Remove(Func<WorkspaceEvent, Task> handler)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers.Where(h => h != handler)];
        }
    }

    private sealed class Subscription(FeedSubscribers owner, Func<WorkspaceEvent, Task> handler) : IDisposable
    {
        public void Dispose() => owner.Remove(handler);
    }
}

/// <summary>The feed for a single process (SQLite): publishing is delivering.</summary>
public sealed class InProcessWorkspaceFeed(FeedSubscribers subscribers) : IWorkspaceFeed
{
    public Task PublishAsync(IReadOnlyList<WorkspaceEvent> events, CancellationToken ct = default)
    {
        if (events.Count > 0)
        {
            subscribers.Deliver(events);
        }
        return Task.CompletedTask;
    }

    public IDisposable Subscribe(Func<WorkspaceEvent, Task> handler) => subscribers.Add(handler);
}

/// <summary>
/// The feed for several nodes on PostgreSQL: NOTIFY carries a batch of events to every node's LISTEN connection,
/// this one included, and each node delivers them to its own subscribers.
/// </summary>
public sealed class PostgresWorkspaceFeed(
    FeedSubscribers subscribers,
    IOptions<DatabaseOptions> database,
    ILogger<PostgresWorkspaceFeed> logger) : BackgroundService, IWorkspaceFeed
{
    public const string ChannelName = "membercare_workspace";

    // NOTIFY payloads must stay under 8,000 bytes.
    private const int MaxEventsPerNotify = 100;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Lazy<NpgsqlDataSource> _dataSource = new(() => NpgsqlDataSource.Create(database.Value.ResolveConnectionString()));

    public async Task PublishAsync(IReadOnlyList<WorkspaceEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0)
        {
            return;
        }
        try
        {
            await using var command = _dataSource.Value.CreateCommand("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) AS payload");
            command.Parameters.AddWithValue("channel", ChannelName);
            command.Parameters.AddWithValue("payloads", events.Chunk(MaxEventsPerNotify).Select(c => JsonSerializer.Serialize(c, s_json)).ToArray());
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not publish {Count} workspace events", events.Count);
        }
    }

    public IDisposable Subscribe(Func<WorkspaceEvent, Task> handler) => subscribers.Add(handler);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Value.Provider != DatabaseProvider.Postgres)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.Value.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.IO.IOException or InvalidOperationException)
            {
                logger.LogWarning(ex, "The workspace feed lost its LISTEN connection; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private void Receive(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<WorkspaceEvent[]>(payload, s_json) is { } events)
            {
                subscribers.Deliver(events);
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Ignored a workspace notification that is not ours");
        }
    }

    public override void Dispose()
    {
        if (_dataSource.IsValueCreated)
        {
            _dataSource.Value.Dispose();
        }
        base.Dispose();
    }
}

public static class WorkspaceFeedRegistration
{
    /// <summary>Chosen at run time from Database:Provider, like the database itself.</summary>
    public static IServiceCollection AddWorkspaceFeed(this IServiceCollection services)
    {
        services.AddSingleton<FeedSubscribers>();
        services.AddSingleton<InProcessWorkspaceFeed>();
        services.AddSingleton<PostgresWorkspaceFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresWorkspaceFeed>());
        services.AddSingleton<IWorkspaceFeed>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresWorkspaceFeed>()
                : sp.GetRequiredService<InProcessWorkspaceFeed>());
        return services;
    }
}
