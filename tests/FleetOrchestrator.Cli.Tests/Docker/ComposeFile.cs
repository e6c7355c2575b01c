using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FleetOrchestrator.Cli.Tests.Docker;

/// <summary>
/// docker/compose.yaml as Compose reads it: parsed YAML, with the ${…} interpolation done from docker/.env.example
/// (what an operator copies to docker/.env) or the default the reference gives, and $$ read as one $.
/// </summary>
internal sealed partial class ComposeFile
{
    private readonly YamlMappingNode _root;
    private readonly IReadOnlyDictionary<string, string> _variables;

    private ComposeFile(YamlMappingNode root, IReadOnlyDictionary<string, string> variables)
    {
        _root = root;
        _variables = variables;
    }

    public static ComposeFile Load()
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(RepositoryFiles.Docker, "compose.yaml"))))
            stream.Load(reader);
        var variables = File.ReadAllLines(Path.Combine(RepositoryFiles.Docker, ".env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new ComposeFile((YamlMappingNode)stream.Documents[0].RootNode, variables);
    }

    public IReadOnlyDictionary<string, YamlMappingNode> Services =>
        Mapping(_root, "services")!.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!,
            c => (YamlMappingNode)c.Value, StringComparer.Ordinal);

    public IReadOnlyCollection<string> TopLevelNames(string section) =>
        Mapping(_root, section)?.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList() ?? [];

    public YamlMappingNode? TopLevel(string section, string name) =>
        Mapping(_root, section) is { } m && m.Children.TryGetValue(new YamlScalarNode(name), out var node)
            ? node as YamlMappingNode
            : null;

    public static YamlMappingNode? Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    public string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode s
            ? Interpolate(s.Value!)
            : null;

    /// <summary>A list of scalars (a command, a health check's test), interpolated.</summary>
    public IReadOnlyList<string> List(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode seq
            ? [.. seq.Children.Cast<YamlScalarNode>().Select(s => Interpolate(s.Value!))]
            : [];

    /// <summary>A service's environment (the mapping form), interpolated.</summary>
    public IReadOnlyDictionary<string, string> Environment(YamlMappingNode service) =>
        Mapping(service, "environment")?.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!,
            c => Interpolate(((YamlScalarNode)c.Value).Value!), StringComparer.Ordinal)
        ?? new Dictionary<string, string>();

    /// <summary>The services a service waits for, with the condition.</summary>
    public IReadOnlyDictionary<string, string> DependsOn(YamlMappingNode service) =>
        Mapping(service, "depends_on")?.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!,
            c => Scalar((YamlMappingNode)c.Value, "condition") ?? "service_started", StringComparer.Ordinal)
        ?? new Dictionary<string, string>();

    /// <summary>Short-syntax volumes as (source, target).</summary>
    public IReadOnlyList<(string Source, string Target)> Volumes(YamlMappingNode service) =>
        [.. List(service, "volumes").Select(v => v.Split(':')).Select(p => (p[0], p[1]))];

    public string Interpolate(string text)
    {
        var replaced = Reference().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            if (_variables.TryGetValue(name, out var value)) return value;
            return m.Groups["op"].Value == ":-" ? m.Groups["arg"].Value
                : throw new InvalidOperationException($"${{{name}}} has no value in .env.example and no default");
        });
        return replaced.Replace("$$", "$", StringComparison.Ordinal);
    }

    // ${NAME}, ${NAME:-default}, ${NAME:?message}; not $${…} (an escaped dollar).
    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Z0-9_]+)(?:(?<op>:-|:\?)(?<arg>[^}]*))?\}")]
    private static partial Regex Reference();
}
