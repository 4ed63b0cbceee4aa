using System.Runtime.InteropServices;

Console.WriteLine($"Hello from {RuntimeInformation.OSArchitecture} ({RuntimeInformation.RuntimeIdentifier}).");
