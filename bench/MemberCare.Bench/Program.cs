using System.CommandLine;
using System.Reflection;
using MemberCare.Bench;

var serverDefault = typeof(Traffic).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
    .Single(a => a.Key == "MemberCare.ServerAssembly").Value!;

var database = new Option<string>("--database")
{
    Description = "Which database to measure: sqlite, postgres or both.",
    DefaultValueFactory = _ => "both",
};
database.AcceptOnlyFromAmong("sqlite", "postgres", "both");
var rate = new Option<int>("--rate") { Description = "Arrival rate of the fixed-rate runs, in messages per second.", DefaultValueFactory = _ => 1_000 };
var duration = new Option<int>("--duration") { Description = "Seconds measured in each run.", DefaultValueFactory = _ => 20 };
var warmUp = new Option<int>("--warm-up") { Description = "Seconds of load before each run's measurement starts.", DefaultValueFactory = _ => 5 };
var senders = new Option<int>("--senders") { Description = "Concurrent senders in the full-speed runs.", DefaultValueFactory = _ => 128 };
var repeats = new Option<int>("--repeats") { Description = "How many times each run is repeated; the report shows medians.", DefaultValueFactory = _ => 3 };
var server = new Option<FileInfo>("--server")
{
    Description = "The server's membercare.dll (default: the build output of src/MemberCare in this configuration).",
    DefaultValueFactory = _ => new FileInfo(serverDefault),
};

var serverLog = new Option<FileInfo?>("--server-log") { Description = "Append the server's console output to this file." };
var stages = new Option<bool>("--stages")
{
    Description = "Time each intake stage in the server (Intake:StageTiming) and print the breakdown, CPU and GC after every run (warm-up included).",
};

var root = new RootCommand(
    "Intake load generator: starts the real server, measures the no-op endpoint and intake side by side at full speed and at a " +
    "fixed arrival rate, on SQLite and/or PostgreSQL, and checks that the database holds every acknowledged message.")
{
    database, rate, duration, warmUp, senders, repeats, server, serverLog, stages,
};
// Tokens after "--" go to the server, e.g. "-- --Database:SqliteSynchronous=Normal" or "-- --Intake:MaxBatchSize=64".
root.TreatUnmatchedTokensAsErrors = false;
root.SetAction(async (parse, ct) =>
{
    var assembly = parse.GetValue(server)!;
    if (!assembly.Exists)
    {
        await Console.Error.WriteLineAsync($"No server at {assembly.FullName}; build src/MemberCare in this configuration first.");
        return 2;
    }
    var settings = new BenchSettings(
        assembly.FullName,
        parse.GetValue(rate),
        TimeSpan.FromSeconds(parse.GetValue(duration)),
        TimeSpan.FromSeconds(parse.GetValue(warmUp)),
        parse.GetValue(senders),
        parse.GetValue(repeats),
        [.. parse.UnmatchedTokens],
        parse.GetValue(serverLog)?.FullName,
        parse.GetValue(stages));
    var which = parse.GetValue(database)!;
    var providers = which == "both" ? ["sqlite", "postgres"] : new[] { which };
    return await IntakeBenchmark.RunAsync(settings, providers, Console.Out, ct);
});
return await root.Parse(args).InvokeAsync();
