# Sourced by the bench scripts: writes a real-size app (about 150 source files, a ProjectReference to a library) the
# way projects are: records, generics, LINQ, async code, a few hundred lines a file.

write_source() { # file namespace class-index: one source file of about 60 lines
  cat > "$1" <<CS
using System.Collections.Concurrent;
using System.Text;

namespace $2;

public sealed record Order$3(int Id, string Customer, decimal Amount, DateTimeOffset Placed, IReadOnlyList<string> Tags);

public interface IRepository$3<T> where T : class
{
    Task<T?> FindAsync(int id, CancellationToken cancellationToken);
    IAsyncEnumerable<T> ListAsync(Func<T, bool> filter, CancellationToken cancellationToken);
}

public sealed class Service$3(IRepository$3<Order$3> repository)
{
    private readonly ConcurrentDictionary<int, Order$3> _cache = new();

    public async Task<decimal> TotalAsync(string customer, CancellationToken cancellationToken)
    {
        decimal total = 0;
        await foreach (Order$3 order in repository.ListAsync(o => o.Customer == customer, cancellationToken))
        {
            _cache[order.Id] = order;
            total += order.Amount;
        }

        return total;
    }

    public IEnumerable<(string Tag, int Count, decimal Sum)> ByTag() =>
        _cache.Values.SelectMany(o => o.Tags.Select(t => (Tag: t, Order: o)))
            .GroupBy(x => x.Tag, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.Key, g.Count(), g.Sum(x => x.Order.Amount)))
            .OrderByDescending(x => x.Item3)
            .ThenBy(x => x.Key, StringComparer.Ordinal);

    public string Describe(Order$3 order) => order switch
    {
        { Amount: > 1000m } => \$"large order {order.Id} for {order.Customer}: {order.Amount:C}",
        { Tags.Count: 0 } => \$"untagged order {order.Id}",
        _ => new StringBuilder().Append("order ").Append(order.Id).Append(" [").AppendJoin(", ", order.Tags).Append(']').ToString(),
    };

    public static Order$3 Parse(string line)
    {
        string[] parts = line.Split(';');
        return new Order$3(int.Parse(parts[0]), parts[1], decimal.Parse(parts[2]), DateTimeOffset.Parse(parts[3]), parts.Skip(4).ToArray());
    }
}
CS
}

write_real_app() { # folder sdk-version project-extra-xml: app/ (120 files) referencing lib/ (30 files)
  local folder=$1 i
  mkdir -p "$folder/app" "$folder/lib"
  cat > "$folder/lib/Lib.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
</Project>
XML
  for i in $(seq 1 30); do write_source "$folder/lib/Lib$i.cs" RealApp.Lib "L$i"; done
  for i in $(seq 1 119); do write_source "$folder/app/App$i.cs" RealApp "A$i"; done
  cat > "$folder/app/Program.cs" <<'CS'
var service = new RealApp.Lib.ServiceL1(null!);
System.Console.WriteLine($"real app {service.GetType().Assembly.GetName().Version}");
CS
  cat > "$folder/app/app.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  $2
  <PropertyGroup>
    <OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable>
    $3
  </PropertyGroup>
  <ItemGroup><ProjectReference Include="../lib/Lib.csproj" /></ItemGroup>
</Project>
XML
}
