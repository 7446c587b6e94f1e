// Progressive enhancement only: every page works without this script. On a crawl run's page it asks the server for
// the run's counters every second and writes them into the page's polite live region, so a screen reader hears the
// change when it is idle; focus is never moved. It stops once the run is over.
(function () {
    'use strict';
    var region = document.querySelector('[data-progress-url]');
    if (!region || region.getAttribute('data-over') === 'true') {
        return;
    }

    var url = region.getAttribute('data-progress-url');

    function show(progress) {
        ['state', 'fetched', 'refused', 'hits'].forEach(function (field) {
            var element = region.querySelector('[data-field="' + field + '"]');
            var value = String(progress[field]);
            if (element && element.textContent !== value) {
                element.textContent = value;
            }
        });
        if (progress.over) {
            region.setAttribute('data-over', 'true');
        } else {
            window.setTimeout(poll, 1000);
        }
    }

    function poll() {
        fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(String(response.status));
                }
                return response.json();
            })
            .then(show)
            .catch(function () {
                // A signed-out session or a restart: the page's refresh link still works; ask again more slowly.
                window.setTimeout(poll, 5000);
            });
    }

    window.setTimeout(poll, 1000);
}());
