using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MemberCare.Features.Triage;

namespace MemberCare.Tests.Triage;

public sealed class TriageVerbTests
{
    private static async Task<List<JsonElement>> RunLinesAsync(string input)
    {
        var engine = new TriageEngine(TriageEngineTests.ModelsIn(TrainedModels.V1));
        using var output = new MemoryStream();
        await new TriageLines(engine).RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(input)), output, TestContext.Current.CancellationToken);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.EndsWith("\n", text);
        return [.. text.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    [Fact]
    public async Task A_valid_line_answers_with_every_field_of_the_contract()
    {
        var lines = await RunLinesAsync("""{"id": "m-1", "text": "I ordered the linen shirt in white size M (order #10234) and got a navy one in XL instead"}""" + "\n");
        var line = Assert.Single(lines);
        Assert.Equal(["id", "concern", "confidence", "sentiment", "language", "urgency", "entities", "department"],
            line.EnumerateObject().Select(p => p.Name));
        Assert.Equal("m-1", line.GetProperty("id").GetString());
        Assert.True(TriageLabels.IsConcern(line.GetProperty("concern").GetString()));
        Assert.InRange(line.GetProperty("confidence").GetDouble(), 0, 1);
        Assert.True(TriageLabels.IsSentiment(line.GetProperty("sentiment").GetString()));
        Assert.Equal("en", line.GetProperty("language").GetString());
        Assert.Contains(line.GetProperty("urgency").GetString()!, s_urgencies);
        var entities = line.GetProperty("entities");
        Assert.Equal("10234", entities.GetProperty("orderNumbers")[0].GetString());
        Assert.Equal(["M", "XL"], entities.GetProperty("sizes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["white", "navy"], entities.GetProperty("colours").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0, entities.GetProperty("skus").GetArrayLength());
        Assert.Equal(TriageLabels.DepartmentFor(line.GetProperty("concern").GetString()!), line.GetProperty("department").GetString());
    }

    [Fact]
    public async Task A_line_that_is_not_json_answers_with_an_error_and_the_stream_goes_on()
    {
        var lines = await RunLinesAsync("{\"id\":\"1\",\"text\":\"Where is my order?\"}\n{\"id\": \"2\", \"text\": \n{\"id\":\"3\",\"text\":\"Love it, thank you so much\"}\n");
        Assert.Equal(3, lines.Count);
        Assert.Equal("1", lines[0].GetProperty("id").GetString());
        Assert.StartsWith("not valid JSON", lines[1].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("id").ValueKind);
        Assert.Equal("3", lines[2].GetProperty("id").GetString());
        Assert.True(lines[2].TryGetProperty("concern", out _));
    }

    [Theory]
    [InlineData("""{"id": "x"}""", "\"text\" is required")]
    [InlineData("""{"id": "x", "text": 42}""", "\"text\" is required")]
    [InlineData("""{"id": "x", "text": "   "}""", "\"text\" is blank")]
    [InlineData("""{"id": "x", "text": "Where is it?", "tier": "platinum"}""", "\"tier\" must be")]
    public async Task A_line_without_usable_text_answers_with_its_id_and_an_error(string input, string error)
    {
        var line = Assert.Single(await RunLinesAsync(input + "\n"));
        Assert.Equal("x", line.GetProperty("id").GetString());
        Assert.StartsWith(error, line.GetProperty("error").GetString());
        Assert.False(line.TryGetProperty("concern", out _));
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"just a string\"")]
    [InlineData("   ")]
    [InlineData("")]
    public async Task A_line_that_is_not_an_object_answers_with_an_error(string input)
    {
        var lines = await RunLinesAsync("{\"id\":\"a\",\"text\":\"hello there my friend\"}\n" + input + "\n{\"id\":\"b\",\"text\":\"hello there my friend\"}\n");
        Assert.Equal(3, lines.Count);
        Assert.True(lines[1].TryGetProperty("error", out _));
        Assert.Equal("b", lines[2].GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_last_line_needs_no_newline_and_crlf_line_ends_are_read()
    {
        var lines = await RunLinesAsync("{\"id\":1,\"text\":\"Where is my order?\"}\r\n{\"id\":2,\"text\":\"Love it, thank you so much\"}");
        Assert.Equal([1, 2], lines.Select(l => l.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Context_fields_raise_the_urgency()
    {
        var lines = await RunLinesAsync(
            """{"id":"a","text":"When will my order arrive?"}""" + "\n" +
            """{"id":"b","text":"When will my order arrive?","tier":"vip","recentContacts":3}""" + "\n");
        Assert.Equal(2, s_urgencies.IndexOf(lines[1].GetProperty("urgency").GetString()!) - s_urgencies.IndexOf(lines[0].GetProperty("urgency").GetString()!));
    }

    private static readonly List<string> s_urgencies = ["low", "normal", "high", "urgent"];

    [Fact]
    public async Task The_membercare_triage_command_streams_ten_thousand_lines_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var executable = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "membercare.exe" : "membercare");
        var texts = TriageExamples.Lines.Select(l => l.Text).ToArray();
        var start = new ProcessStartInfo(executable, ["triage", $"--Triage:ModelsFolder={TrainedModels.V1}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var feed = Task.Run(async () =>
        {
            await using var stdin = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false)) { NewLine = "\n" };
            for (var i = 0; i < 10_000; i++)
            {
                await stdin.WriteLineAsync(i % 1000 == 999 ? "{broken" : JsonSerializer.Serialize(new { id = $"m{i}", text = texts[i % texts.Length] }));
            }
        }, ct);

        var count = 0;
        while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            using var answer = JsonDocument.Parse(line);
            if (count % 1000 == 999)
            {
                Assert.True(answer.RootElement.TryGetProperty("error", out _), line);
            }
            else
            {
                Assert.Equal($"m{count}", answer.RootElement.GetProperty("id").GetString());
                Assert.True(answer.RootElement.TryGetProperty("concern", out _), line);
            }
            count++;
        }
        await feed;
        await process.WaitForExitAsync(ct);
        clock.Stop();

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(10_000, count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"10,000 lines took {clock.Elapsed}");
        TestContext.Current.SendDiagnosticMessage($"membercare triage: 10,000 lines in {clock.Elapsed.TotalSeconds:F2} s including start-up");
    }

    [Fact]
    public async Task The_membercare_triage_command_exits_3_when_the_models_cannot_load()
    {
        var ct = TestContext.Current.CancellationToken;
        var executable = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "membercare.exe" : "membercare");
        var start = new ProcessStartInfo(executable, ["triage", $"--Triage:ModelsFolder={TrainedModels.EmptyFolder()}"])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.Equal(3, process.ExitCode);
        Assert.Contains("could not be loaded", stderr);
    }
}
