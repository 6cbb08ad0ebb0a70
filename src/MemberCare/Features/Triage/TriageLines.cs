using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.IO.Pipelines;
using System.Text.Json;
using MemberCare.Domain;
using MemberCare.Domain.Customers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Triage;

/// <summary>
/// The command-line contract: JSON lines {"id","text"} in, one JSON line out per line in, in order.
/// A line that cannot be triaged answers with {"id","error"} and the stream goes on. Input is read and
/// answered chunk by chunk, so memory stays flat however long the stream, and a caller that writes one
/// line and waits gets its answer at once.
/// </summary>
public sealed class TriageLines(TriageEngine engine)
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<long> RunAsync(Stream input, Stream output, CancellationToken ct)
    {
        var reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var pending = new ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(pending, s_writerOptions);
        long lines = 0;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            var buffer = read.Buffer;
            while (TryTakeLine(ref buffer, out var line))
            {
                Answer(line, writer, pending);
                lines++;
            }
            if (read.IsCompleted && !buffer.IsEmpty)
            {
                Answer(buffer, writer, pending);
                lines++;
                buffer = buffer.Slice(buffer.End);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (pending.WrittenCount > 0)
            {
                await output.WriteAsync(pending.WrittenMemory, ct);
                await output.FlushAsync(ct);
                pending.ResetWrittenCount();
            }
            if (read.IsCompleted)
            {
                break;
            }
        }
        await reader.CompleteAsync();
        return lines;
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is not { } end)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    private void Answer(ReadOnlySequence<byte> line, Utf8JsonWriter writer, ArrayBufferWriter<byte> pending)
    {
        writer.Reset(pending);
        Write(Trim(line), writer);
        writer.Flush();
        pending.Write("\n"u8);
    }

    private void Write(ReadOnlySequence<byte> line, Utf8JsonWriter writer)
    {
        if (line.IsEmpty)
        {
            WriteError(writer, default, "empty line: each line must be a JSON object with \"text\"");
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            WriteError(writer, default, $"not valid JSON: {FirstSentence(ex.Message)}");
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                WriteError(writer, default, "each line must be a JSON object with \"text\"");
                return;
            }
            root.TryGetProperty("id", out var id);
            if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
            {
                WriteError(writer, id, "\"text\" is required and must be a string");
                return;
            }
            var text = textElement.GetString()!;
            if (string.IsNullOrWhiteSpace(text))
            {
                WriteError(writer, id, "\"text\" is blank");
                return;
            }
            if (ReadContext(root) is not { } context)
            {
                WriteError(writer, id, "\"tier\" must be one of standard, silver, gold, vip; \"recentContacts\" a whole number from 0; \"channel\" one of " + string.Join(", ", ChannelNames.Known));
                return;
            }
            var result = engine.Triage(text, context)
                ?? throw new InvalidOperationException("The triage models were unloaded while the stream ran.");
            writer.WriteStartObject();
            WriteId(writer, id);
            writer.WriteString("concern", result.Concern);
            writer.WriteNumber("confidence", Math.Round((double)result.Confidence, 4));
            writer.WriteString("sentiment", result.Sentiment);
            writer.WriteString("language", result.Language);
            writer.WriteString("urgency", result.Urgency.ToKey());
            writer.WritePropertyName("entities");
            result.Entities.WriteTo(writer);
            writer.WriteString("department", result.Department);
            writer.WriteEndObject();
        }
    }

    private static TriageContext? ReadContext(JsonElement root)
    {
        var tier = CustomerTier.Standard;
        var recent = 0;
        Channel? channel = null;
        if (root.TryGetProperty("tier", out var tierElement) && tierElement.ValueKind != JsonValueKind.Null
            && (tierElement.ValueKind != JsonValueKind.String || !Enum.TryParse(tierElement.GetString(), ignoreCase: true, out tier) || !Enum.IsDefined(tier)))
        {
            return null;
        }
        if (root.TryGetProperty("recentContacts", out var recentElement) && recentElement.ValueKind != JsonValueKind.Null
            && (!recentElement.TryGetInt32(out recent) || recent < 0))
        {
            return null;
        }
        if (root.TryGetProperty("channel", out var channelElement) && channelElement.ValueKind != JsonValueKind.Null
            && !ChannelNames.TryParse(channelElement.ValueKind == JsonValueKind.String ? channelElement.GetString() : null, out channel))
        {
            return null;
        }
        return tier == CustomerTier.Standard && recent == 0 && channel is null ? TriageContext.None : new TriageContext(tier, recent, channel);
    }

    private static void WriteError(Utf8JsonWriter writer, JsonElement id, string error)
    {
        writer.WriteStartObject();
        WriteId(writer, id);
        writer.WriteString("error", error);
        writer.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter writer, JsonElement id)
    {
        writer.WritePropertyName("id");
        if (id.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            id.WriteTo(writer);
        }
    }

    private static ReadOnlySequence<byte> Trim(ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(line);
        var leading = reader.AdvancePastAny((byte)' ', (byte)'\t', (byte)'\r');
        line = line.Slice(leading);
        while (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }
        return line;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

/// <summary>
/// 'membercare triage': reads only configuration and the models, never the web host or the database,
/// so that a pipe of lines starts answering within the model load time.
/// </summary>
public static class TriageVerb
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = configuration.GetSection("Triage").Get<TriageOptions>() ?? new TriageOptions();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            await Console.Error.WriteLineAsync("Invalid Triage settings: " + string.Join(" ", problems.Select(p => p.ErrorMessage)));
            return 2;
        }
        if (!options.Enabled)
        {
            await Console.Error.WriteLineAsync("Triage is turned off (Triage:Enabled=false).");
            return 2;
        }
        var models = new TriageModels(Options.Create(options), NullLogger<TriageModels>.Instance);
        if (!models.TryLoad())
        {
            await Console.Error.WriteLineAsync($"The triage models could not be loaded: {models.Problem}");
            return 3;
        }
        await using var stdin = Console.OpenStandardInput();
        await using var stdout = Console.OpenStandardOutput();
        await new TriageLines(new TriageEngine(models)).RunAsync(stdin, stdout, ct);
        return 0;
    }
}
