namespace MovieRec.Deploy.Tests;

/// <summary>The Kubernetes objects one kustomize overlay produces.</summary>
internal sealed class Manifests
{
    public IReadOnlyList<Dictionary<string, object?>> Objects { get; }

    /// <summary>How they were produced: "kubectl kustomize" or the static fallback (see <see cref="Render"/>).</summary>
    public string Source { get; }

    private Manifests(IReadOnlyList<Dictionary<string, object?>> objects, string source)
    {
        Objects = objects;
        Source = source;
    }

    public IEnumerable<Dictionary<string, object?>> OfKind(string kind) =>
        Objects.Where(o => o.Get("kind") as string == kind);

    public Dictionary<string, object?> Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => Name(o) == name)
        ?? throw new Xunit.Sdk.XunitException($"No {kind} named '{name}' in the {Source} output; have: "
            + string.Join(", ", Objects.Select(o => $"{o.Get("kind")}/{Name(o)}")));

    public static string Name(object? manifest) => manifest.Req("metadata.name").Str("metadata.name");

    private static readonly Dictionary<string, Manifests> Cache = [];

    /// <summary>
    /// Renders <c>deploy/k8s/overlays/{overlay}</c> with <c>kubectl kustomize</c>. Without kubectl the tests fail
    /// when Debian's package for it (kubernetes-client) is available, since ./test.sh installs it; on machines where
    /// no package exists the overlay is assembled from its files by a small subset of kustomize (base resources,
    /// generated ConfigMap and Secret, images, namespace; strategic-merge patches are not applied) and a note says so.
    /// </summary>
    public static Manifests Render(string overlay)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(overlay, out var manifests))
            {
                manifests = RenderUncached(overlay);
                Cache[overlay] = manifests;
            }
            return manifests;
        }
    }

    public static string? Note { get; private set; }

    private static Manifests RenderUncached(string overlay)
    {
        var folder = $"deploy/k8s/overlays/{overlay}";
        if (Tool.Find("kubectl") is { } kubectl)
        {
            var result = Tool.Run(kubectl, ["kustomize", folder], TimeSpan.FromMinutes(1));
            if (result.ExitCode != 0)
                throw new Xunit.Sdk.XunitException($"kubectl kustomize {folder} failed ({result.ExitCode}):\n{result.Error}");
            return new Manifests(YamlTree.LoadAll(result.Output).Select(o => o.Map()).ToList(), "kubectl kustomize");
        }

        if (DebianPackageFor("kubernetes-client") is { } candidate)
        {
            throw new Xunit.Sdk.XunitException(
                $"kubectl is not installed, and Debian's package kubernetes-client ({candidate}) provides it: run ./test.sh "
                + "as root (it installs it) or `apt-get install kubernetes-client`. The kustomize overlays must render.");
        }

        Note = "kubectl is not installed and no Debian package provides it here: the overlays were assembled by the "
            + "tests' static subset of kustomize (strategic-merge patches not applied).";
        Console.Error.WriteLine("note: " + Note);
        return new Manifests(StaticKustomize(folder), "static kustomize subset");
    }

    /// <summary>The candidate version apt would install for <paramref name="package"/>, or null.</summary>
    private static string? DebianPackageFor(string package)
    {
        if (Tool.Find("apt-cache") is not { } aptCache) return null;
        var result = Tool.Run(aptCache, ["policy", package], TimeSpan.FromSeconds(30));
        var line = result.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Candidate:", StringComparison.Ordinal));
        var version = line?["Candidate:".Length..].Trim();
        return version is null or "" or "(none)" ? null : version;
    }

    private static List<Dictionary<string, object?>> StaticKustomize(string folder)
    {
        var objects = new List<Dictionary<string, object?>>();
        var configLiterals = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        var images = new List<Dictionary<string, object?>>();
        string? ns = null;

        void Visit(string dir)
        {
            var k = YamlTree.LoadFile($"{dir}/kustomization.yaml").Map($"{dir}/kustomization.yaml");
            foreach (var b in k.Get("bases").Items().Concat(k.Get("resources").Items()).Select(r => r.Str()))
            {
                var path = Path.GetFullPath(Path.Combine(Repo.PathOf(dir), b));
                var relative = Path.GetRelativePath(Repo.Root, path).Replace(Path.DirectorySeparatorChar, '/');
                if (Directory.Exists(path)) Visit(relative);
                else objects.AddRange(YamlTree.LoadAll(Repo.Read(relative)).Select(o => o.Map()));
            }
            foreach (var (generator, kind) in new[] { ("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret") })
            {
                foreach (var g in k.Get(generator).Items())
                {
                    var name = g.Req("name").Str();
                    var key = kind + "/" + name;
                    if (!configLiterals.TryGetValue(key, out var data)) configLiterals[key] = data = [];
                    foreach (var literal in g.Get("literals").Items().Select(l => l.Str()))
                    {
                        var parts = literal.Split('=', 2);
                        data[parts[0]] = parts.Length > 1 ? parts[1] : "";
                    }
                }
            }
            images.AddRange(k.Get("images").Items().Select(i => i.Map()));
            ns = k.Get("namespace") as string ?? ns;
        }

        Visit(folder);
        foreach (var (key, data) in configLiterals)
        {
            var parts = key.Split('/');
            objects.Add(new Dictionary<string, object?>
            {
                ["apiVersion"] = "v1",
                ["kind"] = parts[0],
                ["metadata"] = new Dictionary<string, object?> { ["name"] = parts[1] },
                [parts[0] == "Secret" ? "stringData" : "data"] = data,
            });
        }
        foreach (var o in objects)
        {
            if (ns is not null && o.Get("kind") as string != "Namespace") o.Req("metadata").Map()["namespace"] = ns;
            foreach (var container in AllContainers(o))
            {
                var image = container.Get("image") as string;
                var rule = images.LastOrDefault(i => i.Get("name") as string == image);
                if (rule is null) continue;
                container["image"] = $"{rule.Get("newName") as string ?? image}:{rule.Get("newTag") as string ?? "latest"}";
            }
        }
        return objects;
    }

    /// <summary>The pod template spec of a Deployment, Job or CronJob (or a Pod's spec).</summary>
    public static Dictionary<string, object?>? PodSpec(object? manifest) => (manifest.Get("kind") as string) switch
    {
        "Deployment" or "StatefulSet" or "DaemonSet" or "Job" => manifest.Get("spec.template.spec") as Dictionary<string, object?>,
        "CronJob" => manifest.Get("spec.jobTemplate.spec.template.spec") as Dictionary<string, object?>,
        "Pod" => manifest.Get("spec") as Dictionary<string, object?>,
        _ => null,
    };

    public static IEnumerable<Dictionary<string, object?>> AllContainers(object? manifest)
    {
        var spec = PodSpec(manifest);
        return spec.Get("initContainers").Items().Concat(spec.Get("containers").Items()).Select(c => c.Map());
    }
}
