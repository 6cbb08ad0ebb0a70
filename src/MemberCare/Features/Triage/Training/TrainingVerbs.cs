using System.CommandLine;

namespace MemberCare.Features.Triage.Training;

/// <summary>The <c>train</c> and <c>evaluate</c> verbs; they need no database and no web host.</summary>
public static class TrainingVerbs
{
    public static IEnumerable<Command> Create()
    {
        var defaults = TriagePaths.Defaults();
        var data = new Option<string>("--data") { Description = "The shared corpora folder.", DefaultValueFactory = _ => defaults.Data };
        var labels = new Option<string>("--labels") { Description = "The project's labels (data/triage).", DefaultValueFactory = _ => defaults.Labels };

        var output = new Option<string>("--out") { Description = "Where the models and manifest.json are written.", DefaultValueFactory = _ => defaults.Models };
        var version = new Option<string?>("--version") { Description = "The version recorded in manifest.json (default: a hash of the training data and recipes)." };
        var exportSplits = new Option<string?>("--export-splits") { Description = "Also write each model's texts with their split and weight as CSV to this folder." };
        var tune = new Option<bool>("--tune") { Description = "Cross-validate the candidate recipes on the training splits instead of training." };
        var task = new Option<string[]>("--model") { Description = "With --tune: which models (concern, sentiment, language).", AllowMultipleArgumentsPerToken = true };
        var train = new Command("train", "Train the triage models (concern, sentiment, language) with a fixed split and seed, and write them with manifest.json.")
        {
            data, labels, output, version, exportSplits, tune, task,
        };
        train.SetAction(parse =>
        {
            var training = new TriageTraining(new TriagePaths(parse.GetValue(data)!, parse.GetValue(labels)!, parse.GetValue(output)!), Console.Out);
            if (parse.GetValue(tune))
            {
                var chosen = parse.GetValue(task) is { Length: > 0 } named
                    ? named.Select(n => Enum.Parse<TriageTask>(n, ignoreCase: true)).ToList()
                    : [.. Enum.GetValues<TriageTask>()];
                training.Tune(chosen);
                return 0;
            }
            training.Train(parse.GetValue(version), parse.GetValue(exportSplits));
            return 0;
        });
        yield return train;

        var models = new Option<string>("--models") { Description = "The folder holding the models to evaluate.", DefaultValueFactory = _ => defaults.Models };
        var json = new Option<bool>("--json") { Description = "Print the reports as JSON." };
        var evaluate = new Command("evaluate", "Measure the triage models on every held-out corpus: per-class precision, recall and F1, macro-F1, confusion matrix.")
        {
            data, labels, models, json,
        };
        evaluate.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var training = new TriageTraining(
                new TriagePaths(parse.GetValue(data)!, parse.GetValue(labels)!, parse.GetValue(models)!),
                asJson ? TextWriter.Null : Console.Out);
            var reports = training.Evaluate();
            if (asJson)
            {
                TriageTraining.WriteJson(reports, Console.Out);
            }
            else
            {
                foreach (var report in reports)
                {
                    report.WriteTo(Console.Out);
                }
            }
            return reports.Count > 0 ? 0 : 1;
        });
        yield return evaluate;
    }
}
