/* The anti-robot check of the public forms that take a place or send an e-mail (booking/antibot).
 *
 * Progressive enhancement: without this script, or where it cannot run, the form still works through the
 * slow path (it is accepted some seconds after the page was opened). With it, the page fetches a challenge
 * from this site (no third party), a Web Worker solves it, and the solution goes in the hidden field
 * "altcha". The status is read out to screen readers (role="status"). A form sent before the end waits for
 * it, then leaves by itself. */
(function () {
  "use strict";

  function setUp(widget) {
    var form = widget.closest("form");
    var input = form && form.querySelector('input[name="altcha"]');
    var status = widget.querySelector("[data-antibot-status]");
    if (!input || !status || !window.Worker || !window.fetch || !window.crypto || !window.crypto.subtle) {
      return; // the slow path stays, and its explanation with it
    }
    var state = "running";
    var submitWhenDone = false;
    input.value = "";

    function say(text) {
      status.textContent = text;
    }

    function send() {
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }

    function finish(payload) {
      if (payload) {
        input.value = payload;
        state = "done";
        say(widget.dataset.textDone);
      } else {
        state = "failed";
        say(widget.dataset.textFailed);
      }
      if (submitWhenDone) {
        send();
      }
    }

    form.addEventListener("submit", function (event) {
      if (state === "running") {
        event.preventDefault();
        submitWhenDone = true;
        say(widget.dataset.textWaiting);
      }
    });

    say(widget.dataset.textRunning);
    fetch(widget.dataset.challengeUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("challenge " + response.status);
        }
        return response.json();
      })
      .then(function (challenge) {
        return new Promise(function (resolve, reject) {
          var worker = new Worker(widget.dataset.workerUrl);
          worker.onmessage = function (event) {
            worker.terminate();
            if (event.data.error) {
              reject(new Error(event.data.error));
              return;
            }
            var payload = { challenge: challenge, solution: event.data.solution };
            resolve(window.btoa(JSON.stringify(payload)));
          };
          worker.onerror = function (error) {
            worker.terminate();
            reject(error);
          };
          worker.postMessage(challenge);
        });
      })
      .then(finish, function () {
        finish(null);
      });
  }

  document.querySelectorAll("[data-antibot]").forEach(setUp);
})();
