using System.Data.Common;
using System.Globalization;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Customers;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace MemberCare.InboxBench;

/// <summary>
/// Writes a year of a busy store straight into the real schema: prepared inserts in one transaction on SQLite,
/// binary COPY on PostgreSQL. One message per conversation, so N conversations means N messages.
/// </summary>
public sealed class BulkLoad(BenchOptions options)
{
    private static readonly string[] s_concerns = ["wrong_size", "damaged", "late_delivery", "refund", "exchange", "product_question", "missing_item", "website"];
    private static readonly string[] s_products = ["linen shirt", "wool coat", "silk dress", "denim jacket", "cashmere sweater", "leather boots", "rain jacket", "chinos"];
    private static readonly string[] s_produkter = ["linskjorte", "ullkåpe", "silkekjole", "dongerijakke", "kasjmirgenser", "skinnstøvler", "regnjakke", "chinos"];
    private static readonly string[] s_colours = ["navy", "black", "sand", "olive", "burgundy", "white"];
    private static readonly ValueConverter<DateTimeOffset, long> s_binaryTime = new DateTimeOffsetToBinaryConverter();

    public static string AgentId(int n) => $"bench-agent-{n:00}";

    public static string OrderNumber(int conversation) => (1_000_000 + conversation).ToString(CultureInfo.InvariantCulture);

    public async Task RunAsync(MemberCareDb db)
    {
        var now = TimeProvider.System.GetUtcNow();
        var customers = Math.Max(1, options.Conversations / 10);
        var random = new Random(42);
        var rows = Enumerable.Range(1, options.Conversations).Select(i => Make(i, customers, random, now));
        if (db.IsSqlite)
        {
            await LoadSqliteAsync(db, customers, rows, now);
        }
        else
        {
            await LoadPostgresAsync(db, customers, rows, now);
        }
    }

    private sealed record Row(
        long Id, long CustomerId, Channel Channel, ConversationStatus Status, Priority Priority, string? AssigneeId, string OrderNumber,
        string Concern, string Language, string Text, DateTimeOffset CreatedAt, DateTimeOffset? FirstResponseAt, DateTimeOffset? ResolvedAt,
        DateTimeOffset? ClosedAt, DateTimeOffset FirstResponseDueAt, DateTimeOffset ResolutionDueAt);

    private static Row Make(int i, int customers, Random random, DateTimeOffset now)
    {
        var created = now - TimeSpan.FromMinutes(random.Next(0, 365 * 24 * 60));
        var roll = random.Next(100);
        var status = roll switch
        {
            < 4 => ConversationStatus.New,
            < 12 => ConversationStatus.Open,
            < 16 => ConversationStatus.WaitingOnDepartment,
            < 20 => ConversationStatus.WaitingOnCustomer,
            < 60 => ConversationStatus.Resolved,
            _ => ConversationStatus.Closed,
        };
        var priority = random.Next(100) switch
        {
            < 10 => Priority.Low,
            < 80 => Priority.Normal,
            < 95 => Priority.High,
            _ => Priority.Urgent,
        };
        var norwegian = random.Next(2) == 0;
        var product = random.Next(s_products.Length);
        var colour = s_colours[random.Next(s_colours.Length)];
        var order = OrderNumber(i);
        var concern = s_concerns[random.Next(s_concerns.Length)];
        var text = norwegian
            ? $"Hei! Jeg fikk feil størrelse på {s_produkter[product]} i {colour}, ordre {order}. Kan dere bytte til M?"
            : $"Hi, the {s_products[product]} in {colour} from order {order} is the wrong size. Can I exchange it for a medium?";
        var responded = status == ConversationStatus.New ? (DateTimeOffset?)null : created + TimeSpan.FromMinutes(random.Next(5, 600));
        var resolved = status is ConversationStatus.Resolved or ConversationStatus.Closed ? created + TimeSpan.FromHours(random.Next(1, 72)) : (DateTimeOffset?)null;
        return new Row(
            i, 1 + random.Next(customers), (Channel)random.Next(10), status, priority,
            random.Next(100) < 60 ? AgentId(random.Next(1, 21)) : null,
            order, concern, norwegian ? "nb" : "en", text, created, responded, resolved,
            status == ConversationStatus.Closed ? resolved : null,
            created + SlaTargets.FirstResponse(priority), created + SlaTargets.Resolution(priority));
    }

    private static async Task LoadSqliteAsync(MemberCareDb db, int customers, IEnumerable<Row> rows, DateTimeOffset now)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        // A loader's settings for this connection only: no fsync, and a cache that holds the indexes being built.
        await Execute(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000; PRAGMA temp_store=MEMORY;");
        await using var transaction = await connection.BeginTransactionAsync();

        await using (var insert = Prepare(connection, transaction,
            """INSERT INTO "Customers" ("Id", "Name", "Email", "Tier", "LifetimeValue", "CreatedAt") VALUES ($1, $2, $3, $4, $5, $6)""", 6))
        {
            for (var c = 1; c <= customers; c++)
            {
                Set(insert, c, $"Customer {c}", $"customer{c}@example.com", CustomerTier.Standard.ToString(), (double)(c % 5000), s_binaryTime.ConvertToProvider(now.AddYears(-2)));
                await insert.ExecuteNonQueryAsync();
            }
        }
        await using (var conversation = Prepare(connection, transaction, """
            INSERT INTO "Conversations" ("Id", "CustomerId", "Channel", "Status", "Priority", "AssigneeId", "OrderNumber", "ConcernType", "Language",
                "MessageCount", "LastMessagePreview", "CreatedAt", "UpdatedAt", "LastMessageAt", "FirstResponseAt", "ResolvedAt", "ClosedAt",
                "FirstResponseDueAt", "ResolutionDueAt")
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            """, 19))
        await using (var message = Prepare(connection, transaction, """
            INSERT INTO "Messages" ("Id", "ConversationId", "Direction", "Channel", "ExternalId", "AuthorName", "Text", "SentAt", "CreatedAt")
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, 9))
        {
            foreach (var r in rows)
            {
                var created = s_binaryTime.ConvertToProvider(r.CreatedAt);
                Set(conversation, r.Id, r.CustomerId, r.Channel.ToString(), r.Status.ToString(), r.Priority.ToString(), r.AssigneeId, r.OrderNumber,
                    r.Concern, r.Language, 1, r.Text.Length <= 160 ? r.Text : r.Text[..160], created, created, created,
                    Time(r.FirstResponseAt), Time(r.ResolvedAt), Time(r.ClosedAt),
                    s_binaryTime.ConvertToProvider(r.FirstResponseDueAt), s_binaryTime.ConvertToProvider(r.ResolutionDueAt));
                await conversation.ExecuteNonQueryAsync();
                Set(message, r.Id, r.Id, MessageDirection.Inbound.ToString(), r.Channel.ToString(), $"bench-{r.Id}", $"Customer {r.CustomerId}", r.Text, created, created);
                await message.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
        await Execute(connection, "ANALYZE; PRAGMA optimize;");
        await db.Database.CloseConnectionAsync();

        static object? Time(DateTimeOffset? at) => at is { } value ? s_binaryTime.ConvertToProvider(value) : null;
    }

    private static async Task LoadPostgresAsync(MemberCareDb db, int customers, IEnumerable<Row> rows, DateTimeOffset now)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        // The full-text index is built once after the load rather than row by row.
        await Execute(connection, """DROP INDEX IF EXISTS "IX_Messages_SearchVector";""");

        await using (var writer = await connection.BeginBinaryImportAsync(
            """COPY "Customers" ("Id", "Name", "Email", "Tier", "LifetimeValue", "CreatedAt") FROM STDIN (FORMAT BINARY)"""))
        {
            for (var c = 1; c <= customers; c++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync((long)c, NpgsqlDbType.Bigint);
                await writer.WriteAsync($"Customer {c}", NpgsqlDbType.Varchar);
                await writer.WriteAsync($"customer{c}@example.com", NpgsqlDbType.Varchar);
                await writer.WriteAsync(CustomerTier.Standard.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync((decimal)(c % 5000), NpgsqlDbType.Numeric);
                await writer.WriteAsync(now.AddYears(-2), NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }

        var buffered = rows.ToList();
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY "Conversations" ("Id", "CustomerId", "Channel", "Status", "Priority", "AssigneeId", "OrderNumber", "ConcernType", "Language",
                "MessageCount", "LastMessagePreview", "CreatedAt", "UpdatedAt", "LastMessageAt", "FirstResponseAt", "ResolvedAt", "ClosedAt",
                "FirstResponseDueAt", "ResolutionDueAt") FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var r in buffered)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(r.Id, NpgsqlDbType.Bigint);
                await writer.WriteAsync(r.CustomerId, NpgsqlDbType.Bigint);
                await writer.WriteAsync(r.Channel.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Status.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Priority.ToString(), NpgsqlDbType.Varchar);
                await WriteNullableAsync(writer, r.AssigneeId, NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.OrderNumber, NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Concern, NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Language, NpgsqlDbType.Varchar);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
                await writer.WriteAsync(r.Text.Length <= 160 ? r.Text : r.Text[..160], NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                await WriteNullableAsync(writer, r.FirstResponseAt, NpgsqlDbType.TimestampTz);
                await WriteNullableAsync(writer, r.ResolvedAt, NpgsqlDbType.TimestampTz);
                await WriteNullableAsync(writer, r.ClosedAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.FirstResponseDueAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.ResolutionDueAt, NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY "Messages" ("Id", "ConversationId", "Direction", "Channel", "ExternalId", "AuthorName", "Text", "SentAt", "CreatedAt") FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var r in buffered)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(r.Id, NpgsqlDbType.Bigint);
                await writer.WriteAsync(r.Id, NpgsqlDbType.Bigint);
                await writer.WriteAsync(MessageDirection.Inbound.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Channel.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync($"bench-{r.Id}", NpgsqlDbType.Varchar);
                await writer.WriteAsync($"Customer {r.CustomerId}", NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Text, NpgsqlDbType.Text);
                await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
        await Execute(connection, """CREATE INDEX "IX_Messages_SearchVector" ON "Messages" USING GIN ("SearchVector");""");
        foreach (var table in new[] { "Customers", "Conversations", "Messages" })
        {
            await Execute(connection, $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT max("Id") FROM "{table}"));""");
        }
        await Execute(connection, "ANALYZE;");
        await connection.CloseAsync();
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static async Task Execute(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
