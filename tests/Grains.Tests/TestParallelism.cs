// Four test classes at a time, not one per core (two in CI): most of these tests wait on Orleans timers, lease windows
// and no-op epochs, and run alone at two threads they leave the CPU 45–75 % idle. At four the project took 3 min 19 s
// against 4 min 4 s (docs/BENCHMARKS.md, "Test suite").
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
