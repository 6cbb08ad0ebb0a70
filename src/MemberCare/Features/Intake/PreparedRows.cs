using System.Data.Common;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MemberCare.Features.Intake;

/// <summary>
/// Writes entities built by their own constructors and verbs with plain prepared commands: one INSERT … RETURNING
/// per table and one UPDATE per set of changed columns, each prepared once and executed for every row of the
/// batch. Columns, conversions and key come from the EF model, so the rows are what SaveChanges would write,
/// without change tracking or a command built per row. Entities stay untracked; generated keys are kept here.
/// </summary>
internal sealed class PreparedRows(MemberCareDb db)
{
    private readonly Dictionary<object, long> _ids = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, object?[]> _originals = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, DbCommand> _commands = [];
    private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();

    /// <summary>The key of a row read from the database or inserted here; 0 for a row not yet written.</summary>
    public long IdOf(object entity) => _ids.TryGetValue(entity, out var id) ? id : KeyOf(entity);

    /// <summary>Remembers a row as read, so <see cref="UpdateAsync"/> writes only the columns changed since.</summary>
    public void Read(object entity)
    {
        var table = Table.Of(db, entity.GetType());
        _originals[entity] = [.. table.Columns.Select(c => c.Property.GetGetter().GetClrValue(entity))];
    }

    /// <summary>Inserts a new row; <paramref name="parent"/> fills a foreign key whose row the same batch inserted.</summary>
    public async Task<long> InsertAsync(object entity, (string Property, long Id)? parent = null)
    {
        var table = Table.Of(db, entity.GetType());
        var command = await CommandAsync("insert " + table.Name, table.Columns, () =>
            $"INSERT INTO {Delimit(table)} ({string.Join(", ", table.Columns.Select(c => _sql.DelimitIdentifier(c.Name)))}) " +
            $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => "@p" + i))}) RETURNING {_sql.DelimitIdentifier(table.Key.Name)}");
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            var value = parent is { } p && column.Property.Name == p.Property ? p.Id : column.Property.GetGetter().GetClrValue(entity);
            command.Parameters[i].Value = column.ToProvider(value);
        }
        var id = Convert.ToInt64(await ExecuteAsync(command, scalar: true), System.Globalization.CultureInfo.InvariantCulture);
        _ids[entity] = id;
        return id;
    }

    /// <summary>Updates the columns a row read earlier has changed since; does nothing when none has.</summary>
    public async Task UpdateAsync(object entity)
    {
        var table = Table.Of(db, entity.GetType());
        var original = _originals[entity];
        var changed = new List<Table.Column>();
        var values = new List<object?>();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var value = table.Columns[i].Property.GetGetter().GetClrValue(entity);
            if (!Equals(value, original[i]))
            {
                changed.Add(table.Columns[i]);
                values.Add(value);
            }
        }
        if (changed.Count == 0)
        {
            return;
        }
        var key = table.Key;
        var command = await CommandAsync("update " + table.Name + ":" + string.Join(",", changed.Select(c => c.Name)), [.. changed, key], () =>
            $"UPDATE {Delimit(table)} SET {string.Join(", ", changed.Select((c, i) => $"{_sql.DelimitIdentifier(c.Name)} = @p{i}"))} " +
            $"WHERE {_sql.DelimitIdentifier(key.Name)} = @p{changed.Count}");
        for (var i = 0; i < changed.Count; i++)
        {
            command.Parameters[i].Value = changed[i].ToProvider(values[i]);
        }
        command.Parameters[changed.Count].Value = key.ToProvider(IdOf(entity));
        var rows = (int)(await ExecuteAsync(command, scalar: false))!;
        if (rows != 1)
        {
            throw new DbUpdateConcurrencyException($"{table.Name} {IdOf(entity)} was not found to update.");
        }
        _originals[entity] = [.. table.Columns.Select(c => c.Property.GetGetter().GetClrValue(entity))];
    }

    private long KeyOf(object entity) => Convert.ToInt64(Table.Of(db, entity.GetType()).Key.Property.GetGetter().GetClrValue(entity), System.Globalization.CultureInfo.InvariantCulture);

    private string Delimit(Table table) => _sql.DelimitIdentifier(table.Name, table.Schema);

    private async Task<DbCommand> CommandAsync(string key, IReadOnlyList<Table.Column> columns, Func<string> sql)
    {
        if (_commands.TryGetValue(key, out var command))
        {
            return command;
        }
        command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql();
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.Add(columns[i].Mapping.CreateParameter(command, "@p" + i, null, nullable: true));
        }
        await command.PrepareAsync();
        _commands[key] = command;
        return command;
    }

    /// <summary>A failed statement surfaces as EF's DbUpdateException, as a failed SaveChanges would.</summary>
    private static async Task<object?> ExecuteAsync(DbCommand command, bool scalar)
    {
        try
        {
            return scalar ? await command.ExecuteScalarAsync() : await command.ExecuteNonQueryAsync();
        }
        catch (DbException ex)
        {
            throw new DbUpdateException(ex.Message, ex);
        }
    }

    /// <summary>Disposes the prepared commands; the connection and its transaction belong to the context.</summary>
    public async ValueTask DisposeCommandsAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
        _commands.Clear();
    }

    /// <summary>An entity's table as the model maps it: the key, and every column a row writes (computed columns excluded).</summary>
    private sealed class Table
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(IModel, Type), Table> s_tables = new();

        private Table(IEntityType entity)
        {
            Name = entity.GetTableName()!;
            Schema = entity.GetSchema();
            var store = StoreObjectIdentifier.Table(Name, Schema);
            var key = entity.FindPrimaryKey()!.Properties.Single();
            Key = new Column(key, store);
            if (entity.GetProperties().Any(p => p.IsShadowProperty()))
            {
                throw new InvalidOperationException($"{entity.DisplayName()} has shadow properties, which prepared rows cannot read.");
            }
            Columns = [.. entity.GetProperties()
                .Where(p => p != key && p.GetComputedColumnSql(store) is null && p.ValueGenerated == ValueGenerated.Never)
                .Select(p => new Column(p, store))];
        }

        public string Name { get; }
        public string? Schema { get; }
        public Column Key { get; }
        public IReadOnlyList<Column> Columns { get; }

        public static Table Of(MemberCareDb db, Type type) =>
            s_tables.GetOrAdd((db.Model, type), k => new Table(k.Item1.FindEntityType(k.Item2)
                ?? throw new InvalidOperationException($"{k.Item2.Name} is not mapped.")));

        public sealed class Column(IProperty property, StoreObjectIdentifier store)
        {
            public IProperty Property { get; } = property;
            public string Name { get; } = property.GetColumnName(store)!;
            public RelationalTypeMapping Mapping { get; } = (RelationalTypeMapping)property.GetTypeMapping();

            public object ToProvider(object? value)
            {
                var stored = value is not null && Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
                return stored ?? DBNull.Value;
            }
        }
    }
}
