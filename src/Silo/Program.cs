using GradGuessCluster.Silo.Hosting;

// The silo host (see GradGuessHost); `gradguess silo` runs the same host.
try
{
    await GradGuessHost.RunAsync(args);
    return 0;
}
catch (Exception e) when (e is SiloConfigurationException or HostDirectoryException or PortInUseException)
{
    Console.Error.WriteLine("gradguess-silo: " + e.Message);
    return 2;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine("gradguess-silo: " + e.Message.ReplaceLineEndings(" "));
    return 1;
}
