using System.Globalization;
using System.Text.RegularExpressions;

namespace MemberCare.Features.Import;

/// <summary>Reads the fields of one row and collects every problem, each naming its column.</summary>
internal sealed partial class RowCheck(CsvSheet sheet, CsvRecord record)
{
    private static readonly string[] s_timeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd",
    ];

    private readonly List<string> _problems = [];

    public int Row => record.Row;

    public bool IsValid => _problems.Count == 0;

    public int ProblemCount => _problems.Count;

    public bool Mentions(string column) => _problems.Any(p => p.StartsWith(column + ":", StringComparison.Ordinal));

    public string Reason => string.Join("; ", _problems);

    public void Problem(string column, string reason) => _problems.Add($"{column}: {reason}");

    public string? Text(string column, int maxLength, bool required = false)
    {
        var value = sheet.Value(record, column);
        if (value is null)
        {
            if (required)
            {
                Problem(column, "is required");
            }
            return null;
        }
        if (value.Length > maxLength)
        {
            Problem(column, $"is {value.Length} characters long; at most {maxLength} are allowed");
            return null;
        }
        return value;
    }

    public string? Email(string column, int maxLength, bool required = false)
    {
        var value = Text(column, maxLength, required);
        if (value is not null && !EmailShape().IsMatch(value))
        {
            Problem(column, $"'{value}' is not an e-mail address");
            return null;
        }
        return value;
    }

    /// <summary>ISO 8601: 2024-05-17T14:30:00+02:00, 2024-05-17 14:30 or 2024-05-17; a time without an offset is UTC.</summary>
    public DateTimeOffset? Time(string column, bool required = false)
    {
        var value = Text(column, 64, required);
        if (value is null)
        {
            return null;
        }
        if (!DateTimeOffset.TryParseExact(value, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            Problem(column, $"'{value}' is not an ISO 8601 date and time such as 2024-05-17T14:30:00+02:00");
            return null;
        }
        return time.ToUniversalTime();
    }

    public int? WholeNumber(string column, int minimum, bool required = false)
    {
        var value = Text(column, 32, required);
        if (value is null)
        {
            return null;
        }
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            Problem(column, $"'{value}' is not a whole number");
            return null;
        }
        if (number < minimum)
        {
            Problem(column, number < 0 ? $"{number} is negative; it must be at least {minimum}" : $"{number} is too small; it must be at least {minimum}");
            return null;
        }
        return number;
    }

    /// <summary>An amount such as 899, 899.00 or 899,00 (a spreadsheet's decimal comma); no thousands separators but spaces.</summary>
    public decimal? Money(string column, bool required = false)
    {
        var value = Text(column, 32, required);
        if (value is null)
        {
            return null;
        }
        var digits = value.Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        if (!digits.Contains('.', StringComparison.Ordinal))
        {
            digits = digits.Replace(',', '.');
        }
        if (!MoneyShape().IsMatch(digits) || !decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            Problem(column, $"'{value}' is not an amount such as 899.00");
            return null;
        }
        if (amount < 0)
        {
            Problem(column, $"{value} is negative");
            return null;
        }
        return amount;
    }

    /// <summary>One of the allowed words, in any case; null when the field is empty.</summary>
    public T? Choice<T>(string column, IReadOnlyDictionary<string, T> choices)
        where T : struct
    {
        var value = Text(column, 32);
        if (value is null)
        {
            return null;
        }
        if (!choices.TryGetValue(value.ToLowerInvariant(), out var choice))
        {
            Problem(column, $"'{value}' is not one of {string.Join(", ", choices.Keys)}");
            return null;
        }
        return choice;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^-?[0-9]{1,12}(\.[0-9]{1,2})?$")]
    private static partial Regex MoneyShape();
}
