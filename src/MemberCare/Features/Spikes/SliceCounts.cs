using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using MemberCare.Domain.Spikes;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MemberCare.Features.Spikes;

/// <summary>
/// A batch's messages counted per signature and slice in memory, then added to <see cref="SpikeBucket"/> rows with
/// one prepared multi-row INSERT … ON CONFLICT DO UPDATE per 200 rows (the same statement on SQLite and PostgreSQL).
/// The increment happens in the database, so a count is right whichever node adds to it.
/// </summary>
public sealed class SliceCounts
{
    private const int RowsPerStatement = 200;

    private readonly Dictionary<(string Signature, long Slice), Row> _rows = [];

    public int Count => _rows.Count;

    public static SliceCounts Of(IEnumerable<(CountedMessage Message, List<SignatureKey> Keys)> counted, SpikeRule rule)
    {
        var counts = new SliceCounts();
        foreach (var (message, keys) in counted)
        {
            var slice = rule.SliceOf(message.At);
            foreach (var key in keys)
            {
                if (!counts._rows.TryGetValue((key.Signature, slice), out var row))
                {
                    row = new Row();
                    counts._rows[(key.Signature, slice)] = row;
                }
                row.Add(message.Id);
            }
        }
        return counts;
    }

    /// <summary>Adds the counts inside the caller's transaction; full chunks reuse one prepared statement.</summary>
    public async Task AddToAsync(MemberCareDb db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        DbCommand? full = null;
        try
        {
            foreach (var chunk in _rows.Chunk(RowsPerStatement))
            {
                var command = chunk.Length == RowsPerStatement
                    ? full ??= await PrepareAsync(connection, transaction, RowsPerStatement, ct)
                    : await PrepareAsync(connection, transaction, chunk.Length, ct);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var ((signature, slice), row) = chunk[i];
                    command.Parameters[i * 4].Value = signature;
                    command.Parameters[(i * 4) + 1].Value = slice;
                    command.Parameters[(i * 4) + 2].Value = row.Count;
                    command.Parameters[(i * 4) + 3].Value = row.Ids.ToString();
                }
                await command.ExecuteNonQueryAsync(ct);
                if (!ReferenceEquals(command, full))
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static async Task<DbCommand> PrepareAsync(DbConnection connection, DbTransaction? transaction, int rows, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("""INSERT INTO "SpikeBuckets" ("Signature", "SliceStart", "Count", "MessageIds") VALUES """);
        for (var i = 0; i < rows; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}(@p{i * 4}, @p{(i * 4) + 1}, @p{(i * 4) + 2}, @p{(i * 4) + 3})");
            foreach (var (offset, type) in new[] { (0, DbType.String), (1, DbType.Int64), (2, DbType.Int32), (3, DbType.String) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + ((i * 4) + offset).ToString(CultureInfo.InvariantCulture);
                parameter.DbType = type;
                command.Parameters.Add(parameter);
            }
        }
        sql.Append(CultureInfo.InvariantCulture, $"""
             ON CONFLICT ("Signature", "SliceStart") DO UPDATE SET "Count" = "SpikeBuckets"."Count" + excluded."Count",
             "MessageIds" = CASE WHEN "SpikeBuckets"."Count" >= {SpikeBucket.MaxLinkedPerSlice} THEN "SpikeBuckets"."MessageIds"
             ELSE "SpikeBuckets"."MessageIds" || ',' || excluded."MessageIds" END
            """);
        command.CommandText = sql.ToString();
        await command.PrepareAsync(ct);
        return command;
    }

    private sealed class Row
    {
        public int Count { get; private set; }
        public StringBuilder Ids { get; } = new();

        public void Add(long messageId)
        {
            if (Count < SpikeBucket.MaxLinkedPerSlice)
            {
                Ids.Append(Count == 0 ? "" : ",").Append(messageId.ToString(CultureInfo.InvariantCulture));
            }
            Count++;
        }
    }
}
