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
                counts.Add(key.Signature, slice, message.Id);
            }
        }
        return counts;
    }

    /// <summary>Counts one message under one signature in the slice starting at <paramref name="slice"/> (UTC ticks).</summary>
    public void Add(string signature, long slice, long messageId)
    {
        if (!_rows.TryGetValue((signature, slice), out var row))
        {
            row = new Row();
            _rows[(signature, slice)] = row;
        }
        row.Add(messageId);
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
                    command.Parameters[(i * 4) + 3].Value = row.IdList();
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
        // The row's ids stop at exactly MaxLinkedPerSlice: a batch's ids all have the same width (zero-padded), so the
        // first k of them are the first k × (width + 1) − 1 characters, and width + 1 = (length + 1) / ids.
        const int cap = SpikeBucket.MaxLinkedPerSlice;
        sql.Append(CultureInfo.InvariantCulture, $"""
             ON CONFLICT ("Signature", "SliceStart") DO UPDATE SET "Count" = "SpikeBuckets"."Count" + excluded."Count",
             "MessageIds" = CASE WHEN "SpikeBuckets"."Count" >= {cap} THEN "SpikeBuckets"."MessageIds"
             WHEN "SpikeBuckets"."Count" + excluded."Count" <= {cap} THEN "SpikeBuckets"."MessageIds" || ',' || excluded."MessageIds"
             ELSE "SpikeBuckets"."MessageIds" || ',' || substr(excluded."MessageIds", 1,
               ({cap} - "SpikeBuckets"."Count") * (length(excluded."MessageIds") + 1) / (CASE WHEN excluded."Count" > {cap} THEN {cap} ELSE excluded."Count" END) - 1) END
            """);
        command.CommandText = sql.ToString();
        await command.PrepareAsync(ct);
        return command;
    }

    private sealed class Row
    {
        private readonly List<long> _ids = [];

        public int Count { get; private set; }

        public void Add(long messageId)
        {
            if (Count < SpikeBucket.MaxLinkedPerSlice)
            {
                _ids.Add(messageId);
            }
            Count++;
        }

        /// <summary>The ids, comma-separated and zero-padded to one width, so the upsert can cut them at a count.</summary>
        public string IdList()
        {
            var width = _ids.Max().ToString(CultureInfo.InvariantCulture).Length;
            var format = "D" + width.ToString(CultureInfo.InvariantCulture);
            return string.Join(',', _ids.Select(id => id.ToString(format, CultureInfo.InvariantCulture)));
        }
    }
}
