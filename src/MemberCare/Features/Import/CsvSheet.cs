using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace MemberCare.Features.Import;

/// <summary>A data row of the file, numbered as a spreadsheet shows it: the header is row 1.</summary>
internal sealed record CsvRecord(int Row, string[] Fields);

/// <summary>
/// A CSV file read whole: its header, its data rows, and the rows that could not even be read (bad quotes, a
/// wrong number of fields, bytes that are not UTF-8). A problem with the file itself is reported on row 1.
/// </summary>
internal sealed class CsvSheet
{
    private readonly Dictionary<string, int> _columns;

    private CsvSheet(char delimiter, Dictionary<string, int> columns, List<CsvRecord> records, List<(CsvRecord, string)> unreadable, string? fileProblem)
    {
        Delimiter = delimiter;
        _columns = columns;
        Records = records;
        Unreadable = unreadable;
        FileProblem = fileProblem;
    }

    public char Delimiter { get; }

    public IReadOnlyList<CsvRecord> Records { get; }

    /// <summary>Rows that could not be read, with their fields as far as they could be split.</summary>
    public IReadOnlyList<(CsvRecord Record, string Reason)> Unreadable { get; }

    public string? FileProblem { get; }

    public bool Has(string column) => _columns.ContainsKey(column);

    public string? Value(CsvRecord record, string column) =>
        _columns.TryGetValue(column, out var index) && index < record.Fields.Length && !string.IsNullOrWhiteSpace(record.Fields[index]) ? record.Fields[index].Trim() : null;

    public static async Task<CsvSheet> ReadAsync(Stream stream, IReadOnlyList<string> columns, IReadOnlyList<string> required, CancellationToken ct)
    {
        // Bytes that are not UTF-8 become U+FFFD, and the rows holding them are rejected rather than stored garbled.
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(ct);
        var delimiter = SniffDelimiter(text);
        var expected = string.Join(delimiter, columns);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Problem(delimiter, $"the file is empty; the first row must be the header: {expected}");
        }

        var badData = new HashSet<int>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            BadDataFound = args => badData.Add(args.Context.Parser!.Row),
        };
        using var parser = new CsvParser(new StringReader(text), configuration);
        if (!await parser.ReadAsync())
        {
            return Problem(delimiter, $"the file has no header row; expected {expected}");
        }

        var header = parser.Record!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var headerProblems = new List<string>();
        for (var i = 0; i < header.Length; i++)
        {
            if (!columns.Contains(header[i]))
            {
                headerProblems.Add(header[i].Length == 0 ? $"column {i + 1} has no name" : $"unknown column '{header[i]}'");
            }
            else if (!indexes.TryAdd(header[i], i))
            {
                headerProblems.Add($"column '{header[i]}' appears twice");
            }
        }
        headerProblems.AddRange(required.Where(c => !indexes.ContainsKey(c)).Select(c => $"column '{c}' is missing"));
        if (headerProblems.Count > 0)
        {
            return Problem(delimiter, $"header: {string.Join("; ", headerProblems)}; the columns are {expected}");
        }

        var records = new List<CsvRecord>();
        var unreadable = new List<(CsvRecord, string)>();
        while (await parser.ReadAsync())
        {
            var row = parser.Row;
            var fields = parser.Record!;
            if (fields.Length == 1 && string.IsNullOrWhiteSpace(fields[0]))
            {
                continue;
            }
            var record = new CsvRecord(row, fields);
            if (badData.Contains(row))
            {
                unreadable.Add((record, "a quote (\") inside a field that is not itself in quotes; put the field in quotes and double the quote"));
            }
            else if (fields.Length != header.Length)
            {
                unreadable.Add((record, $"the row has {fields.Length} fields, the header has {header.Length} (is a field with a '{delimiter}' missing its quotes?)"));
            }
            else if (fields.Any(f => f.Contains('\uFFFD', StringComparison.Ordinal)))
            {
                unreadable.Add((record, "the row is not valid UTF-8; save the file as 'CSV UTF-8'"));
            }
            else
            {
                records.Add(record);
            }
        }
        return new CsvSheet(delimiter, indexes, records, unreadable, null);
    }

    /// <summary>Spreadsheets in Norway save CSV with semicolons, most tools with commas; the header tells which.</summary>
    private static char SniffDelimiter(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
    }

    private static CsvSheet Problem(char delimiter, string reason) => new(delimiter, [], [], [], reason);
}
