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
/// The text pre-filter. A batch's MinHash bands are added to <see cref="SpikeTextBand"/> rows (an integer key per band
/// and concern) with one multi-row upsert per 200 bands that returns each band's run: how many messages shared it with
/// less than a window between them. A band that recurs becomes a text signature counted in the slices like any other
/// (from its first message on); a band seen once, which is almost every band, costs that one row and nothing else.
/// </summary>
public sealed class TextBands
{
    private const int RowsPerStatement = 200;

    private readonly Dictionary<long, Band> _bands = [];

    public int Count => _bands.Count;

    public static TextBands Of(IEnumerable<(CountedMessage Message, List<SignatureKey> Keys)> counted)
    {
        var bands = new TextBands();
        foreach (var (message, _) in counted)
        {
            var hashes = TextSketch.BandHashes(message.Text);
            for (var b = 0; b < hashes.Length; b++)
            {
                var key = TextSketch.KeyOf(message.Concern!, hashes[b]);
                if (!bands._bands.TryGetValue(key, out var band))
                {
                    band = new Band(message.Concern!, b, hashes[b]);
                    bands._bands[key] = band;
                }
                if (band.Messages.Count == 0 || band.Messages[^1].Id != message.Id)
                {
                    band.Messages.Add(message);
                }
            }
        }
        return bands;
    }

    /// <summary>
    /// Adds the bands inside the caller's transaction; each band that recurs is added to <paramref name="counts"/> (with
    /// its run's first message when that came in an earlier batch) and returned with the batch's messages that share it.
    /// </summary>
    public async Task<List<(CountedMessage Message, SignatureKey Key)>> AddToAsync(MemberCareDb db, SliceCounts counts, SpikeRule rule, CancellationToken ct)
    {
        var recurring = new List<(CountedMessage, SignatureKey)>();
        if (_bands.Count == 0)
        {
            return recurring;
        }
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var reach = (SpikeRule.Slices - 1) * rule.SliceTicks;
        DbCommand? full = null;
        try
        {
            foreach (var chunk in _bands.Chunk(RowsPerStatement))
            {
                var command = chunk.Length == RowsPerStatement
                    ? full ??= await PrepareAsync(connection, transaction, RowsPerStatement, reach, ct)
                    : await PrepareAsync(connection, transaction, chunk.Length, reach, ct);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var (key, band) = chunk[i];
                    command.Parameters[i * 5].Value = key;
                    command.Parameters[(i * 5) + 1].Value = band.Messages[0].Id;
                    command.Parameters[(i * 5) + 2].Value = band.Messages.Min(m => rule.SliceOf(m.At));
                    command.Parameters[(i * 5) + 3].Value = band.Messages.Max(m => rule.SliceOf(m.At));
                    command.Parameters[(i * 5) + 4].Value = band.Messages.Count;
                }
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        var band = _bands[reader.GetInt64(0)];
                        var hits = reader.GetInt32(1);
                        if (hits < 2)
                        {
                            continue;
                        }
                        var signature = SignatureKeys.Text(band.Concern, band.Index, band.Hash, band.Messages[0].Text);
                        if (hits - band.Messages.Count == 1)
                        {
                            // The run's first message came in an earlier batch and was not counted then.
                            counts.Add(signature.Signature, reader.GetInt64(3), reader.GetInt64(2));
                        }
                        foreach (var message in band.Messages)
                        {
                            counts.Add(signature.Signature, rule.SliceOf(message.At), message.Id);
                            recurring.Add((message, signature));
                        }
                    }
                }
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
        return recurring;
    }

    private static async Task<DbCommand> PrepareAsync(DbConnection connection, DbTransaction? transaction, int rows, long reach, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("""INSERT INTO "SpikeTextBands" ("Key", "FirstId", "FirstSlice", "LastSlice", "Hits") VALUES """);
        for (var i = 0; i < rows; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}(@p{i * 5}, @p{(i * 5) + 1}, @p{(i * 5) + 2}, @p{(i * 5) + 3}, @p{(i * 5) + 4})");
            foreach (var (offset, type) in new[] { (0, DbType.Int64), (1, DbType.Int64), (2, DbType.Int64), (3, DbType.Int64), (4, DbType.Int32) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + ((i * 5) + offset).ToString(CultureInfo.InvariantCulture);
                parameter.DbType = type;
                command.Parameters.Add(parameter);
            }
        }
        // A run goes on while its last message is still inside the window of the new one; otherwise it starts again.
        var goesOn = $"""
            "SpikeTextBands"."LastSlice" >= excluded."FirstSlice" - {reach.ToString(CultureInfo.InvariantCulture)}
            """;
        sql.Append(CultureInfo.InvariantCulture, $"""
             ON CONFLICT ("Key") DO UPDATE SET
             "Hits" = CASE WHEN {goesOn} THEN "SpikeTextBands"."Hits" + excluded."Hits" ELSE excluded."Hits" END,
             "FirstId" = CASE WHEN {goesOn} THEN "SpikeTextBands"."FirstId" ELSE excluded."FirstId" END,
             "FirstSlice" = CASE WHEN {goesOn} THEN "SpikeTextBands"."FirstSlice" ELSE excluded."FirstSlice" END,
             "LastSlice" = CASE WHEN "SpikeTextBands"."LastSlice" > excluded."LastSlice" THEN "SpikeTextBands"."LastSlice" ELSE excluded."LastSlice" END
             RETURNING "Key", "Hits", "FirstId", "FirstSlice"
            """);
        command.CommandText = sql.ToString();
        await command.PrepareAsync(ct);
        return command;
    }

    private sealed class Band(string concern, int index, ulong hash)
    {
        public string Concern { get; } = concern;
        public int Index { get; } = index;
        public ulong Hash { get; } = hash;
        public List<CountedMessage> Messages { get; } = [];
    }
}
