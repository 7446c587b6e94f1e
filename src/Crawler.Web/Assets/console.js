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

// On the mandate draft page: as the file is typed, the form is posted (with its antiforgery token) to the weighing
// handler, at most once per pause in typing, and the weighing is written into the page's polite live region as text.
(function () {
    'use strict';
    var region = document.querySelector('[data-weighing-url]');
    var form = document.getElementById('draft-form');
    var field = document.getElementById('mandate-text');
    if (!region || !form || !field) {
        return;
    }

    var url = region.getAttribute('data-weighing-url');
    var timer = null;
    var asked = 0;

    function element(tag, text, attributes) {
        var e = document.createElement(tag);
        if (text !== null) {
            e.textContent = text;
        }
        Object.keys(attributes || {}).forEach(function (name) {
            e.setAttribute(name, attributes[name]);
        });
        return e;
    }

    function show(weighing) {
        // The table keeps its caption and header cells (rendered by the server); only its rows and the texts change.
        var summary = element('p', weighing.summary);
        var parts = [summary];
        var table = region.querySelector('table');
        if (!table && weighing.rows.length > 0) {
            table = element('table', null);
            table.appendChild(element('caption', weighing.caption, { id: 'weighing-caption' }));
            var head = element('tr', null);
            weighing.headers.forEach(function (text) {
                head.appendChild(element('th', text, { scope: 'col' }));
            });
            table.appendChild(element('thead', null)).appendChild(head);
            table.appendChild(element('tbody', null));
            element('div', null, { 'class': 'table-wrap', role: 'region', 'aria-labelledby': 'weighing-caption', tabindex: '0' }).appendChild(table);
        }
        if (table && weighing.rows.length > 0) {
            var body = table.querySelector('tbody');
            while (body.firstChild) {
                body.removeChild(body.firstChild);
            }
            weighing.rows.forEach(function (row) {
                var tr = element('tr', null);
                tr.appendChild(element('th', row.factor, { scope: 'row' }));
                var level = element('td', null);
                level.appendChild(element('span', row.level, { 'class': 'level level-' + row.levelName }));
                tr.appendChild(level);
                tr.appendChild(element('td', row.value, { lang: 'en' }));
                tr.appendChild(element('td', row.reason, { lang: 'en' }));
                tr.appendChild(element('td', row.justification));
                body.appendChild(tr);
            });
            parts.push(table.closest('.table-wrap') || table);
        }
        if (weighing.problems.length > 0) {
            var list = element('ul', null, { 'class': 'weighing-problems' });
            weighing.problems.forEach(function (problem) {
                list.appendChild(element('li', problem, { lang: 'en' }));
            });
            parts.push(list);
        }
        while (region.firstChild) {
            region.removeChild(region.firstChild);
        }
        parts.forEach(function (part) {
            region.appendChild(part);
        });
    }

    function weigh() {
        var mine = ++asked;
        fetch(url, { method: 'POST', body: new FormData(form), credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(String(response.status));
                }
                return response.json();
            })
            .then(function (weighing) {
                // An answer to an older question is not shown over a newer one.
                if (mine === asked) {
                    show(weighing);
                }
            })
            .catch(function () {
                // The "weigh" button still works.
            });
    }

    field.addEventListener('input', function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(weigh, 600);
    });
}());
