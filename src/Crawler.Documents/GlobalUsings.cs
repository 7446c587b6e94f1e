// The readers build the core's types; these are the namespaces of what they produce.
global using Crawler.Core.Indicators;
global using Crawler.Core.Mandates;
global using Crawler.Core.Policy;
global using Crawler.Core.Retention;
global using Crawler.Core.Targets;
global using Crawler.Core.Urls;
global using Crawler.Core.Users;
global using Crawler.Core.Yaml;
